#!/usr/bin/env bash
# Capture classroom TCP exchanges on the real Linux kernel, between two network namespaces made
# here (client 10.0.0.1, server 10.0.0.2, one veth pair), with tcpdump on the client's side.
# The namespaces are set like tests/data/captures/*.pcap: tcp_timestamps=0, tcp_sack=0,
# offloads off. Output: tests/data/captures/linux/<name>.pcap (headers only: snaplen 96).
#
#   scripts/linux-capture.sh [OUTDIR]
#
# Needs root, iproute2, tcpdump (ethtool optional) and python3 (stdlib only). Bounded: every
# program runs under `timeout`, and the namespaces are deleted on exit whatever happens.
# Traffic only between the two addresses of the namespaces made here.
#
# The exchanges (ports 80-85), each with ~50 ms between steps so the order is unambiguous:
#   a_client_close  request 18 B, reply 20 B, the client closes, the server closes on EOF
#   b_server_close  request 18 B, reply 20 B and close at once (HTTP/1.0); the client closes on EOF
#   c_half_close    request 18 B, shutdown(SHUT_WR); the server reads EOF, replies 20 B, closes
#   d_unread_rst    request 18 B; the server closes without reading it: RST
#   e_bulk_slow     the server sends 20000 B and closes; the client reads 2000 B every 50 ms
#   f_closed_port   connect to a port where nothing listens: RST+ACK, ECONNREFUSED
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/tests/data/captures/linux}"
mkdir -p "$OUT"
TAG="ns$$"
NC="${TAG}c"   # client namespace
NS="${TAG}s"   # server namespace
WORK="$(mktemp -d)"
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    ip netns del "$NC" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in ip tcpdump python3 timeout; do
    command -v "$tool" >/dev/null || { echo "linux-capture: $tool is missing (apt-get install iproute2 tcpdump)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "linux-capture: needs root (network namespaces)" >&2; exit 1; }

# ---- The two namespaces and the veth pair between them.
ip netns add "$NC"
ip netns add "$NS"
ip link add "${TAG}a" type veth peer name "${TAG}b"
ip link set "${TAG}a" netns "$NC"
ip link set "${TAG}b" netns "$NS"
for pair in "$NC ${TAG}a 10.0.0.1" "$NS ${TAG}b 10.0.0.2"; do
    set -- $pair
    ip netns exec "$1" sysctl -qw net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 \
        net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip netns exec "$1" ip addr add "$3/24" dev "$2"
    ip netns exec "$1" ip link set lo up
    ip netns exec "$1" ip link set "$2" up
    if command -v ethtool >/dev/null; then
        ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    fi
done
# Static neighbours, so no ARP lands between segments.
mac_c=$(ip netns exec "$NC" cat "/sys/class/net/${TAG}a/address")
mac_s=$(ip netns exec "$NS" cat "/sys/class/net/${TAG}b/address")
ip netns exec "$NC" ip neigh replace 10.0.0.2 lladdr "$mac_s" dev "${TAG}a" nud permanent
ip netns exec "$NS" ip neigh replace 10.0.0.1 lladdr "$mac_c" dev "${TAG}b" nud permanent

# ---- The programs (python3 stdlib): `prog.py server|client NAME`.
cat >"$WORK/prog.py" <<'EOF'
import socket, sys, time

STEP = 0.05  # 50 ms between steps
REQ = b"GET / HTTP/1.0\r\n\r\n"          # 18 bytes
REPLY = b"HTTP/1.0 200 OK\r\n\r\n!"      # 20 bytes
PORTS = {"a_client_close": 80, "b_server_close": 81, "c_half_close": 82,
         "d_unread_rst": 83, "e_bulk_slow": 84, "f_closed_port": 85}

def read_all(c):
    got = b""
    while True:
        d = c.recv(65536)
        if not d:
            return got
        got += d

def server(name):
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("10.0.0.2", PORTS[name]))
    l.listen(1)
    print("ready", flush=True)
    c, _ = l.accept()
    if name == "a_client_close":
        assert c.recv(100) == REQ
        c.sendall(REPLY)
        assert c.recv(100) == b""           # EOF
        c.close()                           # at once
    elif name == "b_server_close":
        assert c.recv(100) == REQ
        time.sleep(STEP)
        c.sendall(REPLY)
        c.close()                           # at once after the reply
    elif name == "c_half_close":
        assert read_all(c) == REQ           # the request, then EOF
        time.sleep(STEP)
        c.sendall(REPLY)
        c.close()
    elif name == "d_unread_rst":
        time.sleep(2 * STEP)                # the request arrives meanwhile
        c.close()                           # unread: RST
    elif name == "e_bulk_slow":
        time.sleep(STEP)
        c.sendall(bytes(20000))
        c.close()
    l.close()

def client(name):
    s = socket.socket()
    if name == "f_closed_port":
        try:
            s.connect(("10.0.0.2", PORTS[name]))
        except ConnectionRefusedError:
            print("ECONNREFUSED")
        return
    s.connect(("10.0.0.2", PORTS[name]))
    time.sleep(STEP)
    if name == "a_client_close":
        s.sendall(REQ)
        assert s.recv(100) == REPLY
        time.sleep(STEP)
        s.close()
    elif name == "b_server_close":
        s.sendall(REQ)
        assert read_all(s) == REPLY         # the reply, then EOF
        s.close()                           # at once on EOF
    elif name == "c_half_close":
        s.sendall(REQ)
        time.sleep(STEP)
        s.shutdown(socket.SHUT_WR)
        assert read_all(s) == REPLY
        s.close()                           # at once on EOF
    elif name == "d_unread_rst":
        s.sendall(REQ)
        try:
            s.recv(100)
        except ConnectionResetError:
            print("ECONNRESET")
        s.close()
    elif name == "e_bulk_slow":
        n = 0
        while True:
            d = s.recv(2000)
            if not d:
                break
            n += len(d)
            time.sleep(STEP)
        assert n == 20000, n
        s.close()
    time.sleep(2 * STEP)

{"server": server, "client": client}[sys.argv[1]](sys.argv[2])
EOF

capture() {
    local name="$1" port="$2"
    local pcap="$OUT/$name.pcap"
    ip netns exec "$NC" timeout 20 tcpdump -i "${TAG}a" -s 96 -U --immediate-mode -Z root -n -w "$pcap" "tcp port $port" \
        2>"$WORK/$name.tcpdump" &
    local dump=$!
    PIDS+=("$dump")
    for _ in $(seq 50); do grep -q "listening on" "$WORK/$name.tcpdump" 2>/dev/null && break; sleep 0.1; done
    local srv=""
    if [ "$name" != f_closed_port ]; then
        ip netns exec "$NS" timeout 10 python3 "$WORK/prog.py" server "$name" >"$WORK/$name.srv" &
        srv=$!
        PIDS+=("$srv")
        for _ in $(seq 50); do grep -q ready "$WORK/$name.srv" 2>/dev/null && break; sleep 0.1; done
    fi
    ip netns exec "$NC" timeout 10 python3 "$WORK/prog.py" client "$name"
    [ -n "$srv" ] && wait "$srv"
    sleep 0.3
    kill -INT "$dump" 2>/dev/null || true
    wait "$dump" 2>/dev/null || true
    echo "$name: $(tcpdump -r "$pcap" -n 2>/dev/null | wc -l) packets, $(stat -c %s "$pcap") bytes -> $pcap"
}

capture a_client_close 80
capture b_server_close 81
capture c_half_close 82
capture d_unread_rst 83
capture e_bulk_slow 84
capture f_closed_port 85
echo "kernel: $(uname -r)"
