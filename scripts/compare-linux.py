#!/usr/bin/env python3
"""Compare the TCP segment shapes of two captures: a real one (scripts/linux-capture.sh) and
netstep's (`netstep run X.yaml --pcap out.pcapng`: pcapng, which tshark reads as it reads
pcap), or any two.

    scripts/compare-linux.py REAL.pcap MODEL.pcap [--no-window]
    scripts/compare-linux.py --run SCENARIO.yaml REAL.pcap [--netstep BIN] [--per-direction] [--times]
                             [--at-client MS] [--summary]

Each TCP segment becomes (direction, flags, payload length, relative seq, relative ack, window
field); C>S is from the end that sent the first SYN. Timing is ignored unless --times. Prints both
sequences side by side and the first difference; exit 0 when they match, 1 when not, 2 on a usage
error. Needs tshark. Only the first TCP connection of each file is compared.

--times also compares when each segment was sent, after the shape table (which is unchanged),
in a second table per sequence compared (the whole exchange, or each direction with
--per-direction). Segments are paired by position, as in the shape table. For each, the time since
the first segment (the first SYN) is shown, and what is compared is the gap to the previous segment
of the same sequence (so one late timer does not shift everything after it). A pair passes when

    -tol <= real_gap - model_gap <= tol + slack,   tol = max(5 ms, 5% of model_gap),
    slack = model_gap / 8 + 4 ms

slack is the kernel's timer slack: a timer of timeout T fires up to T/8 late (the timer wheel's
granularity at T's level), rounded to a 4 ms tick (HZ=250), never early. It is applied to every
gap, in the late direction only: a gap that is a round trip (not a timer) gets the same allowance,
which also covers the user-space relay's few ms of jitter in the captures. A segment that one side
has and the other not is not a time mismatch (the shape table reports it). The first time mismatch
is reported; exit 1 if the shapes or the times differ. --summary prints only the verdict lines.
--rounds A:B compares, instead of segments one by one, how many data segments the server sent in
each round trip (a burst: S>C data segments less than 10 ms apart), rounds A to B counted from 1:
each within 2 segments of the kernel's (a stretch ACK more or less moves a +1 by a round), and
the growth from round A to round B within 1 segment. For a long transfer, where the growth of cwnd (CUBIC, Reno) is what is compared, not where
each PSH falls.
--no-slack leaves the slack out (tol only): for a model that fires its timers on the kernel's
timer wheel (the linux profile does), where its buckets fall being set by the scenario's
`jiffies` option.

--at-client MS (with --run) makes netstep's capture look like one taken on the client's
interface, as scripts/linux-loss-capture.sh takes them (the relay is between the client and the
server): netstep's pcap stamps each frame when it leaves its sender and holds the frames a fault
dropped, but on the client's side a S>C segment is seen MS later (the one-way delay) and one
dropped on the way is not seen at all. So the model's S>C segments are moved MS later, those the
text trace shows dropped on their way to the client (`XX ... (dropped: ...)`, matched by raw
seq, ack and length, the first such segment) are left out, and the rows are put in time order.
C>S segments are kept as they are: the client's tcpdump sees them leave, dropped or not; but the
copy a `duplicate` fault makes of a C>S segment (`-> ... (duplicate)`) is left out: the relay makes
it after the client's interface, where the real capture never sees it.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

FIELDS = ["ip.src", "tcp.srcport", "ip.dst", "tcp.dstport", "tcp.flags", "tcp.len",
          "tcp.seq_raw", "tcp.ack_raw", "tcp.window_size_value", "frame.time_epoch"]

TIME_TOL = 0.005      # s: max(5 ms, 5%)
TIME_TOL_FRAC = 0.05
TICK = 0.004          # s: one jiffy at HZ=250
TABLES = True         # --summary: only the verdict lines
SLACK = True          # --no-slack: the timer slack left out


def flag_text(bits):
    f = ""
    if bits & 0x02: f += "S"
    if bits & 0x01: f += "F"
    if bits & 0x04: f += "R"
    if bits & 0x08: f += "P"
    if bits & 0x10: f += "."
    return f


def segments(path):
    cmd = ["tshark", "-r", path, "-n", "-o", "tcp.analyze_sequence_numbers:FALSE", "-Y", "tcp",
           "-T", "fields", "-E", "separator=\t"] + sum((["-e", f] for f in FIELDS), [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    client = None
    t0 = None
    isn = {}
    for line in out.splitlines():
        src, sport, dst, dport, flags, length, seq, ack, win, when = line.split("\t")
        a, b = (src, sport), (dst, dport)
        bits = int(flags, 16)
        if client is None:
            client = (a, b)
        if {a, b} != set(client):
            continue  # another connection
        to_server = a == client[0]
        seq, ack = int(seq), int(ack)
        when = float(when)
        if t0 is None:
            t0 = when
        # Relative numbers: from each side's ISN (its SYN's seq); the RST+ACK to a SYN (seq 0)
        # keeps its raw seq.
        me, peer = ("C", "S") if to_server else ("S", "C")
        if bits & 0x02:
            isn[me] = seq
        rseq = (seq - isn[me]) % 2**32 if me in isn else seq
        rack = (ack - isn[peer]) % 2**32 if (bits & 0x10 and peer in isn) else (0 if not bits & 0x10 else ack)
        rows.append({"dir": "C>S" if to_server else "S>C", "flags": flag_text(bits),
                     "len": int(length), "seq": rseq, "ack": rack, "win": int(win), "t": when - t0,
                     "raw": (seq, ack, int(length))})
    return rows


def show(r, window=True):
    if r is None:
        return ""
    s = f"{r['dir']} {r['flags']:<3} len={r['len']:<5} seq={r['seq']:<6} ack={r['ack']:<6}"
    return s + (f" win={r['win']}" if window else "")


def key(r, window):
    return (r["dir"], r["flags"], r["len"], r["seq"], r["ack"]) + ((r["win"],) if window else ())


def compare(real, model, window=True, names=("real", "model")):
    width = 60
    if TABLES:
        print(f"{'#':>3}  {names[0]:<{width}} {names[1]}")
    first = None
    for i in range(max(len(real), len(model))):
        a = real[i] if i < len(real) else None
        b = model[i] if i < len(model) else None
        same = a is not None and b is not None and key(a, window) == key(b, window)
        if not same and first is None:
            first = i
        if TABLES:
            print(f"{i + 1:>3}{' ' if same else '*'} {show(a, window):<{width}} {show(b, window)}")
    if first is None:
        print(f"same shape: {len(real)} segments")
        return True
    a = real[first] if first < len(real) else None
    b = model[first] if first < len(model) else None
    print(f"first difference at segment {first + 1}: {names[0]} '{show(a, window) or '(none)'}', "
          f"{names[1]} '{show(b, window) or '(none)'}'")
    return False


def as_at_client(rows, trace, delay):
    """The --at-client view of the model's rows: S>C seen `delay` s later, dropped ones gone."""
    dropped, copies = [], []
    for line in trace.splitlines():
        m = re.search(r" XX \S+ > \S+ TCP \[[A-Z+]*\] seq=(\d+) ack=(\d+) .*len=(\d+) .*\(dropped", line)
        if m:
            dropped.append(tuple(int(x) for x in m.groups()))
        m = re.search(r" -> \S+ > \S+ TCP \[[A-Z+]*\] seq=(\d+) ack=(\d+) .*len=(\d+) \(duplicate\)", line)
        if m:
            copies.append(tuple(int(x) for x in m.groups()))
    out, seen = [], set()
    for r in rows:
        if r["dir"] == "C>S":
            if r["raw"] in copies and r["raw"] in seen:
                copies.remove(r["raw"])
                continue
            seen.add(r["raw"])
        if r["dir"] == "S>C":
            if r["raw"] in dropped:
                dropped.remove(r["raw"])
                continue
            r = dict(r, t=r["t"] + delay)
        out.append(r)
    out.sort(key=lambda r: r["t"])     # stable: same-time rows keep their order
    return out


def rounds(rows):
    """Data segments per burst of S>C data (bursts: gaps over 10 ms), with each burst's start."""
    out = []
    last = None
    for r in rows:
        if r["dir"] != "S>C" or r["len"] == 0:
            continue
        if last is None or r["t"] - last > 0.010:
            out.append([r["t"], 0])
        out[-1][1] += 1
        last = r["t"]
    return out


def compare_rounds(real, model, first, last):
    """--rounds: segments per round trip, rounds first..last (from 1)."""
    a, b = rounds(real), rounds(model)
    if TABLES:
        print(f"{'round':>5}  {'real t':>9} {'segs':>5}   {'model t':>9} {'segs':>5}")
    ok = len(a) >= last and len(b) >= last
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        inside = first <= i + 1 <= last
        bad = inside and (x is None or y is None or abs(x[1] - y[1]) > 2)
        ok &= not bad
        if TABLES:
            def col(v):
                return f"{'':>9} {'':>5}" if v is None else f"{1000 * v[0]:9.1f} {v[1]:5d}"
            print(f"{i + 1:>5}{'*' if bad else ' '} {col(x)}   {col(y)}")
    if ok:
        grow_real = a[last - 1][1] - a[first - 1][1]
        grow_model = b[last - 1][1] - b[first - 1][1]
        if abs(grow_real - grow_model) > 1:
            ok = False
        print(f"rounds {first}-{last}: growth {grow_real} (real) vs {grow_model} (model) segments"
              f"{'' if ok else ': differ'}")
    if ok:
        print(f"same rounds: {first} to {last}, each within 2 segments")
    else:
        print(f"rounds {first}-{last} differ (or too few rounds: {len(a)} real, {len(b)} model)")
    return ok


def time_tolerance(model_gap):
    """(early, late): how much sooner or later than the model's gap the real gap may be."""
    tol = max(TIME_TOL, TIME_TOL_FRAC * model_gap)
    return tol, tol + (model_gap / 8 + TICK if SLACK else 0.0)


def compare_times(real, model, names=("real", "model")):
    """The --times table: time since the first SYN and gap to the previous segment, in ms."""
    if TABLES:
        slack = " + gap/8 + 4" if SLACK else ""
        print(f"times (ms; gap = since the previous segment listed; allowed: -max(5, 5%) .. "
              f"+max(5, 5%){slack})")
        print(f"{'#':>3}  {names[0] + ' t':>11} {'gap':>9}   {names[1] + ' t':>11} {'gap':>9}   {'diff':>8}")
    first = None
    for i in range(max(len(real), len(model))):
        a = real[i] if i < len(real) else None
        b = model[i] if i < len(model) else None
        cols = []
        for rows, r in ((real, a), (model, b)):
            if r is None:
                cols.append((None, None))
            else:
                cols.append((r["t"], r["t"] - rows[i - 1]["t"] if i > 0 else 0.0))
        ok, diff = True, None
        if a is not None and b is not None:
            diff = cols[0][1] - cols[1][1]
            early, late = time_tolerance(cols[1][1])
            ok = -early <= diff <= late
            if not ok and first is None:
                first = (i, cols, diff, early, late)

        def ms(v):
            return "" if v is None else f"{1000 * v:.1f}"
        if TABLES:
            print(f"{i + 1:>3}{' ' if ok else '*'} {ms(cols[0][0]):>11} {ms(cols[0][1]):>9}   "
                  f"{ms(cols[1][0]):>11} {ms(cols[1][1]):>9}   {ms(diff):>8}")
    if first is None:
        print(f"same times: {min(len(real), len(model))} segments paired")
        return True
    i, cols, diff, early, late = first
    a = real[i]
    print(f"first time difference at segment {i + 1} ({show(a)}): gap {1000 * cols[0][1]:.1f} ms "
          f"({names[0]}) vs {1000 * cols[1][1]:.1f} ms ({names[1]}), {1000 * diff:+.1f} ms, "
          f"allowed {-1000 * early:.1f} .. +{1000 * late:.1f} ms")
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pcaps", nargs="+", help="REAL.pcap MODEL.pcap, or REAL.pcap with --run")
    ap.add_argument("--run", metavar="SCENARIO", help="run this scenario with netstep to get MODEL.pcap")
    ap.add_argument("--netstep", default=None, help="netstep binary (default: build-linux/sim/netstep or PATH)")
    ap.add_argument("--no-window", action="store_true", help="ignore the window field")
    ap.add_argument("--per-direction", action="store_true",
                    help="compare C>S and S>C on their own (ignores how the two directions interleave, a matter of timing)")
    ap.add_argument("--times", action="store_true",
                    help="also compare the gaps between segments, within max(5 ms, 5%%) plus the kernel's timer slack (above)")
    ap.add_argument("--at-client", metavar="MS", type=float, default=None,
                    help="with --run: see netstep's frames as a capture on the client's side would (above)")
    ap.add_argument("--direction", choices=["C>S", "S>C"],
                    help="compare this direction only (as --per-direction does each): for the tests of what already matches")
    ap.add_argument("--first", metavar="N", type=int, default=None,
                    help="compare only the first N segments (of each direction with --per-direction or --direction): "
                         "for the tests of an exchange that matches up to a known difference")
    ap.add_argument("--summary", action="store_true",
                    help="print only the verdicts (same shape / first difference, and with --times the same for times), not the tables")
    ap.add_argument("--rounds", metavar="A:B", default=None,
                    help="compare the data segments the server sent per round trip, rounds A to B (above), instead of the segments")
    ap.add_argument("--no-slack", action="store_true",
                    help="with --times: gaps within max(5 ms, 5%%) only, no timer slack (the model fires its timers on the kernel's wheel)")
    args = ap.parse_args()
    global TABLES, SLACK
    TABLES = not args.summary
    SLACK = not args.no_slack
    if args.at_client is not None and not args.run:
        ap.error("--at-client needs --run (the text trace says which frames were dropped)")
    trace = ""
    if args.run:
        if len(args.pcaps) != 1:
            ap.error("with --run give one REAL.pcap")
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        binary = args.netstep
        if not binary:
            for cand in ["build-linux/sim/netstep", "build/sim/netstep"]:
                if os.path.exists(os.path.join(root, cand)):
                    binary = os.path.join(root, cand)
                    break
            else:
                binary = "netstep"
        tmp = tempfile.mkdtemp()
        model_pcap = os.path.join(tmp, "model.pcapng")  # --pcap writes pcapng
        r = subprocess.run([binary, "run", args.run, "--pcap", model_pcap], capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout + r.stderr, file=sys.stderr)
            return 2
        trace = r.stdout
        real_pcap = args.pcaps[0]
    else:
        if len(args.pcaps) != 2:
            ap.error("give REAL.pcap MODEL.pcap")
        real_pcap, model_pcap = args.pcaps
    real, model = segments(real_pcap), segments(model_pcap)
    if args.at_client is not None:
        model = as_at_client(model, trace, args.at_client / 1000.0)
    if args.rounds:
        try:
            first, last = (int(v) for v in args.rounds.split(":"))
        except ValueError:
            ap.error("--rounds wants A:B, two round numbers from 1")
        if not 1 <= first < last:
            ap.error("--rounds wants A:B with 1 <= A < B")
        return 0 if compare_rounds(real, model, first, last) else 1
    if args.per_direction or args.direction:
        ok = True
        for d in [args.direction] if args.direction else ["C>S", "S>C"]:
            print(f"--- {d}")
            r_d = [r for r in real if r["dir"] == d][:args.first]
            m_d = [r for r in model if r["dir"] == d][:args.first]
            ok &= compare(r_d, m_d, not args.no_window)
            if args.times:
                ok &= compare_times(r_d, m_d)
    else:
        real, model = real[:args.first], model[:args.first]
        ok = compare(real, model, not args.no_window)
        if args.times:
            ok &= compare_times(real, model)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
