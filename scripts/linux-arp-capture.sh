#!/usr/bin/env bash
# Capture ARP as the real Linux kernel does it, between two network namespaces made here
# (client 10.0.0.1 with MAC 02:00:00:00:00:0a, server 10.0.0.2 with 02:00:00:00:00:14, one veth
# pair, IPv6 off so that only ARP and IPv4 appear), on the client's side. The capture is written
# by a python AF_PACKET socket (no tcpdump needed). Output: tests/data/captures/linux/g_arp.pcap,
# and on stdout what each connect() returned and when.
#
#   scripts/linux-arp-capture.sh [OUTDIR]
#
# Needs root, iproute2 and python3 (stdlib only). Bounded: every program runs under `timeout`,
# and the namespaces are deleted on exit whatever happens. Traffic only between the namespaces.
#
# What happens (times from the start of the capture):
#   0.0 s  connect to 10.0.0.2:80 (a listener): ARP request, reply, then the handshake
#   0.2 s  connect again: no ARP
#   0.4 s  connect to 10.0.0.99 (nobody): 3 ARP requests ~1 s apart, then EHOSTUNREACH (~3 s)
#   46 s   a UDP datagram to 10.0.0.2:9: the entry is STALE (reachable time < 45 s), so DELAY;
#          nothing confirms it, so ~5 s later a unicast ARP probe, answered (REACHABLE again)
#   53 s   end
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/tests/data/captures/linux}"
mkdir -p "$OUT"
NC="nsarp$$c"
NS="nsarp$$s"
cleanup() { ip netns del "$NC" 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT

ip netns add "$NC"
ip netns add "$NS"
for ns in "$NC" "$NS"; do
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add vC netns "$NC" type veth peer name vS netns "$NS"
ip -n "$NC" link set vC address 02:00:00:00:00:0a
ip -n "$NS" link set vS address 02:00:00:00:00:14
ip -n "$NC" addr add 10.0.0.1/24 dev vC
ip -n "$NS" addr add 10.0.0.2/24 dev vS
for ns in "$NC" "$NS"; do ip -n "$ns" link set lo up; done
ip -n "$NC" link set vC up
ip -n "$NS" link set vS up
echo "kernel $(uname -r)"

timeout 70 ip netns exec "$NS" python3 - <<'PY' &
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('10.0.0.2', 80))
s.listen(5)
s.settimeout(60)
try:
    while True:
        c, _ = s.accept()
        c.close()
except OSError:
    pass
PY
SERVER=$!
sleep 0.5

timeout 70 ip netns exec "$NC" python3 - "$OUT/g_arp.pcap" <<'PY'
import errno, socket, struct, sys, threading, time
path = sys.argv[1]
sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))  # ETH_P_ALL
sniffer.bind(('vC', 0))
sniffer.settimeout(0.1)
frames, stop = [], False
def sniff():
    while not stop:
        try:
            frames.append((time.time(), sniffer.recv(65535)))
        except socket.timeout:
            pass
thread = threading.Thread(target=sniff)
thread.start()
t0 = time.monotonic()
def at(t):
    time.sleep(max(0.0, t0 + t - time.monotonic()))
def connect(dst):
    s, start = socket.socket(), time.monotonic()
    try:
        s.connect((dst, 80))
        result = 'ok'
    except OSError as e:
        result = errno.errorcode[e.errno]
    print('connect %s at %.3f s: %s after %.3f s' % (dst, start - t0, result, time.monotonic() - start))
    s.close()
at(0.0); connect('10.0.0.2')
at(0.2); connect('10.0.0.2')
at(0.4); connect('10.0.0.99')
at(46.0)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b'hello', ('10.0.0.2', 9))
print('udp to 10.0.0.2:9 at %.3f s' % (time.monotonic() - t0))
at(53.0)
stop = True
thread.join()
with open(path, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))  # LINKTYPE_ETHERNET
    for ts, b in frames:
        f.write(struct.pack('<IIII', int(ts), int((ts % 1) * 1e6), len(b), len(b)))
        f.write(b)
print('%d frames to %s' % (len(frames), path))
PY
ip -n "$NC" neigh show
kill "$SERVER" 2>/dev/null || true
