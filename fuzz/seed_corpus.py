#!/usr/bin/env python3
"""Refreshes the seed corpora in fuzz/corpus/ from the repository's own files.

  fuzz_wire:       every IPv4 packet of tests/data/captures/*.pcap (Ethernet header stripped)
  fuzz_scenario:   scenarios/*.yaml and tests/data/scenarios/*.yaml
  fuzz_run:        the same scenario files, and files made to reach a limit (issue 14): nested
                   repeat around sleep 0s, say forever, netstat in a loop over many sockets, a flood
                   of 65,507-byte datagrams, two routers routing to each other, 50 clients blocked
                   in big sends, a fork loop, an alias of a long string used many times, connect()
                   to the host's own address (named seed-attack-*)
  fuzz_trace_json: the JSON trace of a few small scenarios (needs NETSTEP=path/to/netstep), and
                   traces that once crashed the viewer (issue 14): no events, nesting 1,000 deep
                   in an ignored member, a 17,000-character caption, a 20,000-character name,
                   times past the bound
Files are named by content hash, as libFuzzer names them; run from the repository root.
"""
import glob, hashlib, json, os, shutil, struct, subprocess, sys, tempfile

def put(target, data, name=None):
    d = os.path.join("fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name or "seed-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)

for pcap in sorted(glob.glob("tests/data/captures/*.pcap")):
    raw = open(pcap, "rb").read()
    endian = "<" if raw[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    link = struct.unpack(endian + "I", raw[20:24])[0]
    off = 24
    while off + 16 <= len(raw):
        _, _, incl, _ = struct.unpack(endian + "IIII", raw[off:off + 16])
        pkt = raw[off + 16:off + 16 + incl]
        off += 16 + incl
        if link == 1:  # Ethernet: IPv4 only
            if pkt[12:14] != b"\x08\x00":
                continue
            pkt = pkt[14:]
        put("fuzz_wire", pkt)

for yaml in sorted(glob.glob("scenarios/*.yaml") + glob.glob("tests/data/scenarios/*.yaml") +
                   glob.glob("tests/viz/data/long-*.yaml")):
    put("fuzz_scenario", open(yaml, "rb").read())
for yaml in sorted(glob.glob("scenarios/*.yaml") + glob.glob("tests/data/scenarios/*.yaml")):
    put("fuzz_run", open(yaml, "rb").read())

# fuzz_run: files that pass the loader and try to run long or grow big (issue 14, "classes of
# failure"); fuzz/fuzz_run.cpp's small Limits must end each quickly.
ONE_LAN = """netstep: 1
title: {title}
networks:
  - {{ name: lan, subnet: 10.0.0.0/24, latency: 1ms, bandwidth: 100Mbps }}
hosts:
  - {{ name: a, interfaces: [ {{ network: lan, ip: 10.0.0.1 }} ] }}
  - {{ name: b, interfaces: [ {{ network: lan, ip: 10.0.0.2 }} ] }}
programs:
"""
# Terminals (issue 15): every kind of command typed, and lines that keep a command or the shell busy.
TERMINAL = """  - host: b
    name: web
    steps:
      - socket: { as: l, type: tcp }
      - bind: { socket: l, port: 80 }
      - listen: { socket: l }
      - repeat: { times: forever, steps: [ { accept: { socket: l, as: c } }, { recv: { socket: c } }, { send: { socket: c, data: "ok\\n" } }, { close: { socket: c } } ] }
  - host: a
    name: terminal
    steps:
      - type: { at: 1s, line: "ipconfig /all" }
      - type: { at: 1s, line: "ip addr" }
      - type: { at: 1s, line: "ifconfig" }
      - type: { at: 1s, line: "netstat -tulpn" }
      - type: { at: 1s, line: "ss -tan" }
      - type: { at: 1s, line: "help" }
      - type: { at: 1s, line: "pnig b" }
      - type: { at: 2s, line: "ping -n 1000000 b" }
      - type: { at: 3s, line: "typed ahead" }
      - type: { at: 4s, key: ctrl-c }
      - type: { at: 5s, line: "tracert b" }
      - type: { at: 6s, line: "traceroute b" }
      - type: { at: 40s, line: "nc b 80" }
      - type: { at: 41s, line: "hello" }
      - type: { at: 42s, key: ctrl-d }
      - type: { at: 43s, line: "nc -u b 53" }
      - type: { at: 44s, line: "x" }
      - type: { at: 45s, key: ctrl-c }
      - type: { at: 46s, line: "socket s tcp" }
      - type: { at: 46s, line: "connect s b:80" }
      - type: { at: 46s, line: 'send s "GET /\\r\\n"' }
      - type: { at: 46s, line: "recv s" }
      - type: { at: 46s, line: "close s" }
      - type: { at: 46s, line: "send s late" }
      - type: { at: 47s, line: "nc -l 9000" }
  - host: b
    name: terminal
    steps:
      - type: { at: 48s, line: "nc a 9000" }
      - type: { at: 49s, line: "hi" }
      - type: { at: 50s, key: ctrl-d }
      - type: { at: 51s, line: "socket u udp" }
      - type: { at: 51s, line: "bind u 7" }
      - type: { at: 51s, line: "recvfrom u" }
"""
ATTACKS = {
    "nested-repeat-sleep0": """  - host: a
    steps:
      - repeat: { times: forever, steps: [ { repeat: { times: 1000, steps: [ { repeat: { times: forever, steps: [ { sleep: 0s } ] } } ] } } ] }
""",
    "say-forever": """  - host: a
    steps:
      - repeat: { times: forever, steps: [ { say: "%s" } ] }
""" % ("x" * 4000),
    "netstat-many-sockets": """  - host: a
    steps:
      - repeat: { times: 300, steps: [ { socket: { as: s, type: udp } }, { bind: { socket: s, port: 0 } } ] }
      - repeat: { times: 300, steps: [ { socket: { as: t, type: tcp } } ] }
      - repeat: { times: forever, steps: [ { netstat }, { sleep: 1ms } ] }
""",
    "sendto-flood": """  - host: a
    steps:
      - socket: { as: u, type: udp }
      - repeat: { times: forever, steps: [ { sendto: { socket: u, to: "10.0.0.2:9", bytes: 65507 } } ] }
  - host: b
    steps:
      - socket: { as: u, type: udp }
      - bind: { socket: u, port: 9 }
      - sleep: 3600s
""",
    "fork-loop": """  - host: a
    steps:
      - repeat: { times: forever, steps: [ { fork: { steps: [ { sleep: 1s }, { fork: { steps: [ { sleep: 1s } ] } } ] } } ] }
""",
    "self-connect-refused": """  - host: a
    steps:
      - socket: { as: s, type: tcp }
      - connect: { socket: s, to: "10.0.0.1:81", expect: ECONNREFUSED }
      - socket: { as: t, type: tcp }
      - connect: { socket: t, to: "a:82", expect: ECONNREFUSED }
      - socket: { as: l, type: tcp }
      - bind: { socket: l, port: 80 }
      - listen: { socket: l }
      - socket: { as: c, type: tcp }
      - connect: { socket: c, to: "10.0.0.1:80", expect: ok }
      - accept: { socket: l, as: d }
      - send: { socket: c, bytes: 100000 }
      - recv: { socket: d, bytes: 100000 }
      - close: { socket: c }
      - close: { socket: d }
""",
}
BIG = "A" * 4000
ATTACKS["alias-bomb"] = """  - host: b
    steps:
      - socket: { as: l, type: tcp }
      - bind: { socket: l, port: 80 }
      - listen: { socket: l }
      - accept: { socket: l, as: c }
      - repeat: { times: forever, steps: [ { recv: { socket: c } } ] }
  - host: a
    steps:
      - say: &big "%s"
      - socket: { as: s, type: tcp }
      - connect: { socket: s, to: "b:80" }
      - repeat:
          times: forever
          steps:
%s""" % (BIG, "".join("            - { say: *big }\n            - { send: { socket: s, data: *big } }\n" for _ in range(120)))
# 20 clients blocked in 256 KiB sends (fuzz_run: Limits::max_send_bytes; under ASan each
# blocked program holds ~9 MB) to a server that accepts and never reads.
ATTACKS["blocked-big-sends"] = """  - host: b
    steps:
      - socket: { as: l, type: tcp }
      - bind: { socket: l, port: 80 }
      - listen: { socket: l, backlog: 64 }
      - repeat: { times: forever, steps: [ { accept: { socket: l, as: c } } ] }
  - host: a
    steps:
      - repeat:
          times: 20
          steps:
            - fork: { steps: [ { socket: { as: s, type: tcp } }, { connect: { socket: s, to: "b:80" } }, { send: { socket: s, bytes: 262144 } } ] }
"""
for name, programs in ATTACKS.items():
    put("fuzz_run", (ONE_LAN.format(title=name) + programs).encode(), "seed-attack-" + name)
# Two routers whose default routes point at each other: every datagram to elsewhere circles
# until its TTL runs out.
put("fuzz_run", (ONE_LAN.format(title="terminals") + TERMINAL).encode(), "seed-terminals")
put("fuzz_scenario", (ONE_LAN.format(title="terminals") + TERMINAL).encode(), "seed-terminals")
put("fuzz_run", b"""netstep: 1
title: routing loop
networks:
  - { name: lan, subnet: 10.0.1.0/24, latency: 1ms, bandwidth: 100Mbps }
  - { name: link, subnet: 10.0.0.0/24, latency: 1ms, bandwidth: 100Mbps }
hosts:
  - { name: pc, interfaces: [ { network: lan, ip: 10.0.1.10, gateway: 10.0.1.1 } ] }
  - name: r1
    forwarding: true
    interfaces:
      - { network: lan, ip: 10.0.1.1 }
      - { network: link, ip: 10.0.0.1, gateway: 10.0.0.2 }
  - name: r2
    forwarding: true
    interfaces:
      - { network: link, ip: 10.0.0.2, gateway: 10.0.0.1 }
programs:
  - host: pc
    steps:
      - socket: { as: u, type: udp }
      - repeat: { times: forever, steps: [ { sendto: { socket: u, to: "192.0.2.1:9", bytes: 65507 } } ] }
""", "seed-attack-routing-loop")

netstep = os.environ.get("NETSTEP")
if netstep:
    with tempfile.TemporaryDirectory() as tmp:
        for name in ["basics-socket", "udp-closed-port", "tcp-errors-refused", "tcp-data-lost", "ip-router"]:
            out = os.path.join(tmp, name + ".json")
            subprocess.run([netstep, "run", f"scenarios/{name}.yaml", "--json", out], check=True,
                           stdout=subprocess.DEVNULL)
            put("fuzz_trace_json", open(out, "rb").read())
        # What once crashed the viewer (issue 14).
        for yaml in ["tests/viz/data/long-caption.yaml", "tests/viz/data/long-host-name.yaml"]:
            out = os.path.join(tmp, "long.json")
            subprocess.run([netstep, "run", yaml, "--json", out], check=True, stdout=subprocess.DEVNULL)
            put("fuzz_trace_json", open(out, "rb").read())
        small = json.load(open(os.path.join(tmp, "basics-socket.json")))
        empty = dict(small, events=[], packets=[], sockets=[], translations=[])
        put("fuzz_trace_json", json.dumps(empty).encode())
        deep = json.dumps(small).replace("{", '{"ignored": ' + "[" * 1000 + "]" * 1000 + ", ", 1)
        put("fuzz_trace_json", deep.encode())
        late = dict(small, end_time_ns=2**63 - 1)
        late["events"] = [dict(e, time_ns=2**62 + 1) for e in small["events"]]
        put("fuzz_trace_json", json.dumps(late).encode())
