#!/usr/bin/env python3
"""Refreshes the seed corpora in fuzz/corpus/ from the repository's own files.

  fuzz_wire:       every IPv4 packet of tests/data/captures/*.pcap (Ethernet header stripped)
  fuzz_scenario:   scenarios/*.yaml and tests/data/scenarios/*.yaml
  fuzz_trace_json: the JSON trace of a few small scenarios (needs NETSTEP=path/to/netstep), and
                   traces that once crashed the viewer (issue 14): no events, nesting 1,000 deep
                   in an ignored member, a 17,000-character caption, a 20,000-character name,
                   times past the bound
Files are named by content hash, as libFuzzer names them; run from the repository root.
"""
import glob, hashlib, json, os, shutil, struct, subprocess, sys, tempfile

def put(target, data):
    d = os.path.join("fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
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
