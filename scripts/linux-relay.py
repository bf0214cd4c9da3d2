# Copied unchanged from /work/shared/linux-lab/relay.py (the shared lab's delay line), so the repo is self-contained; scripts/linux-loss-capture.sh runs it.
"""User-space Ethernet delay line with faults (stand-in for `tc netem`, which
this kernel lacks). Standard library only.

    python3 relay.py IF_C IF_S DELAY_MS MAX_SECONDS READY_FILE STOP_FILE [RULE...]

Runs inside a middle network namespace that holds IF_C and IF_S, the far
ends of two veth pairs: IF_C faces the client, IF_S the server. Every frame
received on one interface is sent out of the other DELAY_MS milliseconds
later, unchanged and in order, unless a RULE says otherwise. It only
forwards between those two interfaces (in the namespaces your script
creates), never anywhere else. Stops by itself after MAX_SECONDS or as
soon as STOP_FILE exists.

RULE = ACTION:SELECTOR, one argument each, applied to every frame in the
order given (a frame can match several rules):

    ACTION    drop        the frame is not forwarded
              delay=MS    forwarded MS milliseconds later than DELAY_MS
                          (later frames may overtake it)
              dup         forwarded twice, the copy right behind the original
    SELECTOR  comma-separated conditions, all of which must hold:
              dir=c2s     received on IF_C (client -> server); dir=s2c: IF_S
              proto=P     ip (any IPv4), tcp, udp, icmp or arp; default tcp
                          when flags or data is given, else ip
              flags=F     the TCP flags are exactly F: names joined by '+'
                          in any order (SYN, SYN+ACK, ACK, PSH+ACK, FIN+ACK..)
              data        TCP segment with payload (length > 0)
              nth=N       only the Nth frame that matches the conditions
                          above, counted from 1 per rule (retransmissions
                          count; copies made by dup do not). Without nth:
                          every matching frame.

Examples (the same selectors as netstep's faults):
    drop:dir=c2s,flags=SYN,nth=1          lose the client's first SYN
    delay=200:dir=c2s,flags=SYN,nth=2     hold its second SYN 200 ms longer
    drop:dir=c2s,data,nth=3               lose the 3rd data segment C->S
    dup:dir=c2s,data,nth=1                deliver the 1st data segment twice
    drop:dir=c2s,proto=ip                 lose every IPv4 frame C->S (ARP passes)

Every frame a rule acts on is logged on stdout with its time since start.
"""
import heapq
import os
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
TCP_FLAG_BITS = {"FIN": 0x01, "SYN": 0x02, "RST": 0x04, "PSH": 0x08, "ACK": 0x10,
                 "URG": 0x20, "ECE": 0x40, "CWR": 0x80}
FLAG_ORDER = ["SYN", "FIN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"]   # as normalize.py
IP_PROTOS = {"tcp": 6, "udp": 17, "icmp": 1}


def flag_text(v):
    return "+".join(n for n in FLAG_ORDER if v & TCP_FLAG_BITS[n]) or "NONE"


class Frame:
    """The few header fields a rule can select on."""

    def __init__(self, data):
        self.ethertype = struct.unpack("!H", data[12:14])[0] if len(data) >= 14 else 0
        self.proto = None        # IPv4 protocol number
        self.flags = None        # TCP flags byte
        self.payload = 0         # TCP payload length
        if self.ethertype == 0x0800 and len(data) >= 34:
            ip = data[14:]
            ihl = (ip[0] & 0x0F) * 4
            total = struct.unpack("!H", ip[2:4])[0]
            self.proto = ip[9]
            if self.proto == 6 and len(ip) >= ihl + 20:
                doff = (ip[ihl + 12] >> 4) * 4
                self.flags = ip[ihl + 13]
                self.payload = max(0, total - ihl - doff)

    def describe(self):
        if self.ethertype == 0x0806:
            return "ARP"
        if self.proto == 6:
            return f"TCP [{flag_text(self.flags)}] len={self.payload}"
        if self.proto is not None:
            return {17: "UDP", 1: "ICMP"}.get(self.proto, f"IP proto {self.proto}")
        return f"ethertype 0x{self.ethertype:04x}"


class Rule:
    def __init__(self, text):
        self.text = text
        action, sep, selector = text.partition(":")
        if not sep:
            raise ValueError(f"rule {text!r}: expected ACTION:SELECTOR")
        self.drop = action == "drop"
        self.dup = action == "dup"
        self.delay = 0.0
        if action.startswith("delay="):
            self.delay = float(action[6:]) / 1000.0
        elif not (self.drop or self.dup):
            raise ValueError(f"rule {text!r}: action must be drop, dup or delay=MS")
        self.dir = None
        self.proto = None
        self.flags = None
        self.data = False
        self.nth = None
        for cond in filter(None, selector.split(",")):
            key, _, val = cond.partition("=")
            if key == "dir" and val in ("c2s", "s2c"):
                self.dir = val
            elif key == "proto" and val in ("ip", "tcp", "udp", "icmp", "arp"):
                self.proto = val
            elif key == "flags":
                bits = 0
                for name in val.upper().split("+"):
                    if name not in TCP_FLAG_BITS:
                        raise ValueError(f"rule {text!r}: unknown TCP flag {name!r}")
                    bits |= TCP_FLAG_BITS[name]
                self.flags = bits
            elif key == "data" and not val:
                self.data = True
            elif key == "nth" and val.isdigit() and int(val) >= 1:
                self.nth = int(val)
            else:
                raise ValueError(f"rule {text!r}: bad condition {cond!r}")
        if self.dir is None:
            raise ValueError(f"rule {text!r}: dir=c2s or dir=s2c is required")
        if self.proto is None:
            self.proto = "tcp" if (self.flags is not None or self.data) else "ip"
        self.count = 0

    def selects(self, direction, f):
        if direction != self.dir:
            return False
        if self.proto == "arp":
            ok = f.ethertype == 0x0806
        elif self.proto == "ip":
            ok = f.proto is not None
        else:
            ok = f.proto == IP_PROTOS[self.proto]
        if ok and self.flags is not None:
            ok = f.flags == self.flags
        if ok and self.data:
            ok = f.payload > 0
        if not ok:
            return False
        self.count += 1
        return self.nth is None or self.count == self.nth


def main():
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    if_c, if_s, delay_ms, max_s, ready_file, stop_file = sys.argv[1:7]
    rules = [Rule(t) for t in sys.argv[7:]]
    delay = float(delay_ms) / 1000.0
    start = time.monotonic()
    deadline = start + float(max_s)
    socks = {}
    for name in (if_c, if_s):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, ETH_P_ALL))
        s.setblocking(False)
        socks[name] = s
    other = {socks[if_c]: socks[if_s], socks[if_s]: socks[if_c]}
    direction = {socks[if_c]: "c2s", socks[if_s]: "s2c"}
    queue, seq, forwarded, dropped = [], 0, 0, 0
    with open(ready_file, "w"):
        pass
    print(f"relay: {if_c} <-> {if_s}, {delay_ms} ms each way, rules: "
          f"{' '.join(r.text for r in rules) or '(none)'}", flush=True)
    while time.monotonic() < deadline and not os.path.exists(stop_file):
        now = time.monotonic()
        wait = 0.005
        if queue:
            wait = max(0.0, min(wait, queue[0][0] - now))
        readable, _, _ = select.select(list(other), [], [], wait)
        now = time.monotonic()
        for s in readable:
            while True:
                try:
                    frame, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:      # our own transmissions
                    continue
                d = direction[s]
                drop, dup, extra = False, False, 0.0
                if rules:
                    f = Frame(frame)
                    for r in rules:
                        if r.selects(d, f):
                            drop |= r.drop
                            dup |= r.dup
                            extra += r.delay
                            print(f"relay: t={now - start:.3f} {r.text} -> {d} {f.describe()}",
                                  flush=True)
                if drop:
                    dropped += 1
                    continue
                heapq.heappush(queue, (now + delay + extra, seq, other[s], frame))
                seq += 1
                if dup:
                    heapq.heappush(queue, (now + delay + extra, seq, other[s], frame))
                    seq += 1
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            out.send(frame)
            forwarded += 1
    print(f"relay: forwarded {forwarded} frames, dropped {dropped}, {len(queue)} left queued",
          flush=True)


if __name__ == "__main__":
    main()
