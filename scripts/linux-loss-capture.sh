#!/usr/bin/env bash
# Capture TCP exchanges under loss, delay, duplication and slow readers on the real Linux kernel
# (issue 17), between three network namespaces made here:
#
#   client ns: vC 10.0.0.1/24 <-veth-> mC [middle ns: scripts/linux-relay.py mC mS] mS <-veth-> vS 10.0.0.2/24 :server ns
#
# The middle namespace has no address: the relay (a user-space delay line, a copy of
# /work/shared/linux-lab/relay.py; this kernel has no netem) forwards every Ethernet frame after
# DELAY ms (20 ms each way: a 40 ms round trip) and drops or duplicates the frames its rules
# select. Set like scripts/linux-capture.sh: tcp_timestamps=0, tcp_sack=0, plus tcp_ecn=0,
# congestion control cubic (sysctl in each namespace and `congctl cubic` on the route: a new
# namespace inherits the host's default, bbr here), IPv6 off, offloads off on every veth, static
# neighbours (no ARP). tcpdump on the client's side, snaplen 96 (headers only).
# Output: OUTDIR/<name>.pcap (default tests/data/captures/linux), and OUTDIR/<name>.log (the
# programs' and relay's output) unless KEEP_LOGS=0.
#
#   scripts/linux-loss-capture.sh [OUTDIR [NAME...]]     (all captures when no NAME)
#   MEMINFO=1 scripts/linux-loss-capture.sh ...          (the server also logs its socket's memory
#                                                         as the kernel counts it, on each change:
#                                                         sk_sndbuf, sk_wmem_queued, SIOCOUTQ, SIOCOUTQNSD)
#
# Needs root, iproute2, tcpdump, ethtool (optional) and python3 (stdlib only). Bounded: every
# program runs under `timeout`, the relay stops by itself, the namespaces are deleted on exit
# whatever happens. Traffic only between the two addresses of the namespaces made here.
#
# The exchanges (ports 90-99), relay rules in brackets:
#   h_rto            5 request/response exchanges 100 ms apart (18 B / 20 B), then a 6th request
#                    that the relay loses once [drop:dir=c2s,data,nth=6]: the RTO retransmission;
#                    the reply, the client closes 100 ms later
#   i_syn_timeout    connect() while every SYN is lost [drop:dir=c2s,flags=SYN]: ETIMEDOUT (~130 s)
#   j_bulk           the server sends 60000 B at once and closes; the client reads as fast as it can
#   k_zero_window    the server sends 300000 B and closes; the client reads nothing for 3 s, then
#                    recv(65536) in a loop: the window closes, zero-window probes, the reopening
#   k2_slow_reader   the server sends 120000 B and closes; the client reads 1000 B every 100 ms
#   l_fast_retransmit  the server sends 60000 B; the 8th data segment is lost once
#                    [drop:dir=s2c,data,nth=8]: duplicate ACKs, fast retransmit, NewReno
#   m_tail_loss      the server sends 10000 B (7 segments); the last one is lost once
#                    [drop:dir=s2c,data,nth=7]; the server closes when the client has closed
#   n_duplicate      a request delivered twice [dup:dir=c2s,data,nth=1]: the duplicate ACK; reply, close
#   p_cubic          the server sends 1000000 B; its 40th data segment is lost once
#                    [drop:dir=s2c,data,nth=40]: the window's growth after the recovery (CUBIC)
#   o_sockopt_rcvbuf the client sets SO_RCVBUF=16384 before connect(); the server sends 100000 B
#                    and closes; the client reads 4000 B every 50 ms
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/tests/data/captures/linux}"
shift || true
NAMES=("$@")
mkdir -p "$OUT"
DELAY="${DELAY:-20}"           # ms each way
TAG="lx$$"
NC="${TAG}c"; NM="${TAG}m"; NS="${TAG}s"
WORK="$(mktemp -d)"
PIDS=()
# The relay and the two programs keep their times better on a busy machine with a real-time
# priority (they sleep between frames and steps, so they take little CPU).
RT=""
command -v chrt >/dev/null && chrt -f 10 true 2>/dev/null && RT="chrt -f 10"

cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for n in "$NC" "$NM" "$NS"; do ip netns del "$n" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in ip tcpdump python3 timeout; do
    command -v "$tool" >/dev/null || { echo "linux-loss-capture: $tool is missing (apt-get install iproute2 tcpdump)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "linux-loss-capture: needs root (network namespaces)" >&2; exit 1; }

# ---- Three namespaces, two veth pairs.
for n in "$NC" "$NM" "$NS"; do
    ip netns add "$n"
    ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip netns exec "$n" ip link set lo up
done
ip link add "${TAG}vC" type veth peer name "${TAG}mC"
ip link add "${TAG}vS" type veth peer name "${TAG}mS"
VC="${TAG}vC"; MC="${TAG}mC"; MS="${TAG}mS"; VS="${TAG}vS"
ip link set "$VC" netns "$NC"; ip link set "$MC" netns "$NM"
ip link set "$MS" netns "$NM"; ip link set "$VS" netns "$NS"
for pair in "$NC $VC" "$NM $MC" "$NM $MS" "$NS $VS"; do
    set -- $pair
    ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" 2>/dev/null || true
    if command -v ethtool >/dev/null; then
        ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off sg off >/dev/null 2>&1 || true
    fi
    ip netns exec "$1" ip link set "$2" up
done
ip netns exec "$NM" ip link set "$MC" promisc on
ip netns exec "$NM" ip link set "$MS" promisc on
for pair in "$NC $VC 10.0.0.1" "$NS $VS 10.0.0.2"; do
    set -- $pair
    ip netns exec "$1" sysctl -qw net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_ecn=0
    # Only the initial namespace may make a "restricted" algorithm (one not in the host's
    # tcp_allowed_congestion_control, here "reno bbr") the default: EPERM here, and the host's
    # settings are not ours to change. The route's congctl below is what pins cubic (the
    # programs print getsockopt(TCP_CONGESTION) to show it).
    ip netns exec "$1" sysctl -qw net.ipv4.tcp_congestion_control=cubic 2>/dev/null ||
        echo "linux-loss-capture: net.ipv4.tcp_congestion_control=cubic refused in the namespace (restricted); congctl cubic on the route instead" >&2
    ip netns exec "$1" ip addr add "$3/24" dev "$2"
    ip netns exec "$1" ip route replace 10.0.0.0/24 dev "$2" proto kernel scope link src "$3" congctl cubic
done
# Static neighbours: each end's frames carry the far end's MAC; the relay forwards them unchanged.
mac_c=$(ip netns exec "$NC" cat "/sys/class/net/$VC/address")
mac_s=$(ip netns exec "$NS" cat "/sys/class/net/$VS/address")
ip netns exec "$NC" ip neigh replace 10.0.0.2 lladdr "$mac_s" dev "$VC" nud permanent
ip netns exec "$NS" ip neigh replace 10.0.0.1 lladdr "$mac_c" dev "$VS" nud permanent

# ---- What the namespaces run with (for the README).
{
    echo "kernel: $(uname -r)"
    for n in "$NC" "$NS"; do
        echo "-- namespace ${n#$TAG} ($( [ "$n" = "$NC" ] && echo client || echo server))"
        for k in tcp_rmem tcp_wmem tcp_syn_retries tcp_syn_linear_timeouts tcp_retries2 tcp_early_retrans \
                 tcp_recovery tcp_min_tso_segs tcp_adv_win_scale tcp_moderate_rcvbuf tcp_slow_start_after_idle \
                 tcp_congestion_control tcp_timestamps tcp_sack tcp_ecn tcp_window_scaling tcp_no_metrics_save \
                 tcp_autocorking tcp_notsent_lowat tcp_allowed_congestion_control tcp_rto_min_us tcp_rto_max_ms \
                 tcp_frto tcp_tso_win_divisor tcp_tso_rtt_log tcp_reordering tcp_max_reordering; do
            if [ -e "/proc/sys/net/ipv4/$k" ]; then
                echo "net.ipv4.$k = $(ip netns exec "$n" cat "/proc/sys/net/ipv4/$k" | tr '\t' ' ')"
            else
                echo "net.ipv4.$k: (absent)"
            fi
        done
        echo "net.core.rmem_max = $(ip netns exec "$n" cat /proc/sys/net/core/rmem_max)"
        echo "net.core.wmem_max = $(ip netns exec "$n" cat /proc/sys/net/core/wmem_max)"
        echo "route: $(ip netns exec "$n" ip route show 10.0.0.0/24)"
    done
    echo "relay delay: $DELAY ms each way"
} >"$WORK/settings.txt"
cat "$WORK/settings.txt"

# ---- The programs (python3 stdlib): `prog.py server|client NAME`.
cat >"$WORK/prog.py" <<'EOF'
import errno, fcntl, os, socket, struct, sys, threading, time

REQ = b"GET / HTTP/1.0\r\n\r\n"          # 18 bytes
REPLY = b"HTTP/1.0 200 OK\r\n\r\n!"      # 20 bytes
PORTS = {"h_rto": 90, "i_syn_timeout": 91, "j_bulk": 92, "k_zero_window": 93,
         "k2_slow_reader": 94, "l_fast_retransmit": 95, "m_tail_loss": 96,
         "n_duplicate": 97, "o_sockopt_rcvbuf": 98, "p_cubic": 99}
BULK = {"j_bulk": 60000, "k_zero_window": 300000, "k2_slow_reader": 120000,
        "l_fast_retransmit": 60000, "m_tail_loss": 10000, "o_sockopt_rcvbuf": 100000,
        "p_cubic": 1000000}
T0 = time.monotonic()

def log(*a):
    print(f"{time.monotonic() - T0:8.3f}", *a, flush=True)

def read_all(c, size=65536, pause=0.0):
    n = 0
    while True:
        d = c.recv(size)
        if not d:
            return n
        n += len(d)
        if pause:
            time.sleep(pause)

def meminfo(c, stop):
    # MEMINFO=1: the server socket's memory as the kernel counts it, on each change (SO_MEMINFO:
    # sk_sndbuf, sk_wmem_queued; SIOCOUTQ: write_seq - snd_una; SIOCOUTQNSD: write_seq - snd_nxt).
    last = None
    while not stop.is_set():
        try:
            m = struct.unpack("9I", c.getsockopt(socket.SOL_SOCKET, 55, 36))
            q = struct.unpack("i", fcntl.ioctl(c.fileno(), 0x5411, b"\0" * 4))[0]
            nsd = struct.unpack("i", fcntl.ioctl(c.fileno(), 0x894B, b"\0" * 4))[0]
        except (OSError, ValueError):
            return                           # closed
        now = (m[3], m[5], q, nsd)
        if now != last:
            log(f"mem sndbuf={m[3]} wmem_queued={m[5]} outq={q} notsent={nsd}")
            last = now
        time.sleep(0.0002)

def server(name):
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("10.0.0.2", PORTS[name]))
    l.listen(1)
    print("ready", flush=True)
    c, _ = l.accept()
    log("accepted, congestion control", c.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0").decode())
    stop = threading.Event()
    if os.environ.get("MEMINFO") == "1":
        threading.Thread(target=meminfo, args=(c, stop), daemon=True).start()
    if name in ("h_rto", "n_duplicate"):
        while True:                          # answer each request at once; close on EOF
            d = c.recv(100)
            if not d:
                break
            log("request", len(d))
            c.sendall(REPLY)
        c.close()
    elif name == "m_tail_loss":
        c.sendall(bytes(BULK[name]))
        log("sent", BULK[name])
        assert c.recv(100) == b""            # the client's FIN
        c.close()
    else:
        c.sendall(bytes(BULK[name]))
        log("sent", BULK[name])
        c.close()
    log("closed")
    stop.set()
    l.close()

def client(name):
    s = socket.socket()
    if name == "o_sockopt_rcvbuf":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        log("SO_RCVBUF", s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
    if name == "i_syn_timeout":
        t = time.monotonic()
        try:
            s.connect(("10.0.0.2", PORTS[name]))
            log("connected?!")
        except OSError as e:
            log(f"connect: {errno.errorcode.get(e.errno, e.errno)} after {time.monotonic() - t:.3f} s")
        return
    s.connect(("10.0.0.2", PORTS[name]))
    log("connected, congestion control", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0").decode())
    if name in ("h_rto", "n_duplicate"):
        for i in range(6 if name == "h_rto" else 2):
            time.sleep(0.1)
            t = time.monotonic()
            s.sendall(REQ)
            assert s.recv(100) == REPLY
            log(f"exchange {i + 1}: {1000 * (time.monotonic() - t):.1f} ms")
        time.sleep(0.1)
        s.close()
    elif name in ("j_bulk", "l_fast_retransmit", "m_tail_loss", "p_cubic"):
        n = 0
        while n < BULK[name]:
            d = s.recv(65536)
            assert d
            n += len(d)
        log("read", n)
        if name != "m_tail_loss":
            assert s.recv(65536) == b""
        s.close()
    elif name == "k_zero_window":
        time.sleep(3.0)
        log("reading")
        n = read_all(s)
        log("read", n)
        assert n == BULK[name], n
        s.close()
    elif name == "k2_slow_reader":
        n = read_all(s, 1000, 0.1)
        log("read", n)
        assert n == BULK[name], n
        s.close()
    elif name == "o_sockopt_rcvbuf":
        n = read_all(s, 4000, 0.05)
        log("read", n)
        assert n == BULK[name], n
        s.close()
    time.sleep(0.2)

{"server": server, "client": client}[sys.argv[1]](sys.argv[2])
EOF

capture() {
    local name="$1" port="$2" limit="$3"; shift 3     # the rest: relay rules
    local pcap="$OUT/$name.pcap" log="$WORK/$name"
    rm -f "$log.ready" "$log.stop"
    # Each connection starts fresh: no RTT or ssthresh remembered from the one before
    # (tcp_no_metrics_save is 0).
    ip netns exec "$NC" ip tcp_metrics flush all 2>/dev/null || true
    ip netns exec "$NS" ip tcp_metrics flush all 2>/dev/null || true
    ip netns exec "$NM" timeout $((limit + 10)) $RT python3 "$ROOT/scripts/linux-relay.py" "$MC" "$MS" "$DELAY" \
        "$((limit + 5))" "$log.ready" "$log.stop" "$@" >"$log.relay" 2>&1 &
    local relay=$!
    PIDS+=("$relay")
    for _ in $(seq 50); do [ -e "$log.ready" ] && break; sleep 0.1; done
    ip netns exec "$NC" timeout $((limit + 10)) tcpdump -i "$VC" -s 96 -U --immediate-mode -Z root -n -w "$pcap" \
        "tcp port $port" 2>"$log.tcpdump" &
    local dump=$!
    PIDS+=("$dump")
    for _ in $(seq 50); do grep -q "listening on" "$log.tcpdump" 2>/dev/null && break; sleep 0.1; done
    local srv=""
    if [ "$name" != i_syn_timeout ]; then
        ip netns exec "$NS" timeout "$limit" $RT python3 "$WORK/prog.py" server "$name" >"$log.srv" 2>&1 &
        srv=$!
        PIDS+=("$srv")
        for _ in $(seq 50); do grep -q ready "$log.srv" 2>/dev/null && break; sleep 0.1; done
    fi
    local rc=0
    ip netns exec "$NC" timeout "$limit" $RT python3 "$WORK/prog.py" client "$name" >"$log.cli" 2>&1 || rc=$?
    if [ -n "$srv" ]; then wait "$srv" || rc=$?; fi
    sleep 0.5
    touch "$log.stop"
    wait "$relay" 2>/dev/null || true
    kill -INT "$dump" 2>/dev/null || true
    wait "$dump" 2>/dev/null || true
    PIDS=()     # all waited for: their ids may be reused, never kill them later
    {
        echo "== $name (port $port, relay rules: ${*:-none}), client exit $rc"
        echo "-- client"; cat "$log.cli"
        [ -n "$srv" ] && { echo "-- server"; cat "$log.srv"; }
        echo "-- relay"; cat "$log.relay"
    } | tee "$OUT/$name.log"
    echo "$name: $(tcpdump -r "$pcap" -n 2>/dev/null | wc -l) packets, $(stat -c %s "$pcap") bytes -> $pcap"
}

run_one() {
    case "$1" in
        h_rto)             capture h_rto 90 20 drop:dir=c2s,data,nth=6 ;;
        i_syn_timeout)     capture i_syn_timeout 91 150 drop:dir=c2s,flags=SYN ;;
        j_bulk)            capture j_bulk 92 20 ;;
        k_zero_window)     capture k_zero_window 93 30 ;;
        k2_slow_reader)    capture k2_slow_reader 94 40 ;;
        l_fast_retransmit) capture l_fast_retransmit 95 20 drop:dir=s2c,data,nth=8 ;;
        m_tail_loss)       capture m_tail_loss 96 20 drop:dir=s2c,data,nth=7 ;;
        n_duplicate)       capture n_duplicate 97 20 dup:dir=c2s,data,nth=1 ;;
        o_sockopt_rcvbuf)  capture o_sockopt_rcvbuf 98 20 ;;
        p_cubic)           capture p_cubic 99 30 drop:dir=s2c,data,nth=40 ;;
        *) echo "linux-loss-capture: unknown capture $1" >&2; return 1 ;;
    esac
}

set -- "${NAMES[@]}"
if [ $# -eq 0 ]; then
    set -- h_rto j_bulk k_zero_window k2_slow_reader l_fast_retransmit m_tail_loss n_duplicate \
        o_sockopt_rcvbuf p_cubic i_syn_timeout
fi
for n in "$@"; do run_one "$n"; done
cp "$WORK/settings.txt" "$OUT/loss-settings.txt"
echo "kernel: $(uname -r)"
