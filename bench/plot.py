#!/usr/bin/env python3
"""Plots wall time against N for netstep and ns-3 (log-log) from bench/results/latest.csv, and
prints the fitted exponent k of wall ~ c * N^k (least squares on log wall vs log N, over
N = 100, 1,000, 10,000 for netstep; over N >= 100 for ns-3, whose large N time out).

    plot.py latest.csv wall_vs_n.png
"""
import csv
import math
import sys


def fit(points):
    """Least-squares slope of log(wall) on log(N)."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(w) for _, w in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else None


def main():
    src, out = sys.argv[1], sys.argv[2]
    series = {}
    with open(src) as f:
        for r in csv.DictReader(f):
            try:
                n, wall = int(r["N"]), float(r["wall_s"])
            except (ValueError, TypeError):
                continue
            if wall <= 0:
                continue
            series.setdefault((r["engine"], r["workload"]), []).append((n, wall))
    for key in series:
        series[key].sort()
    for (engine, workload), pts in sorted(series.items()):
        use = [(n, w) for n, w in pts if (n in (100, 1000, 10000) if engine == "netstep" else n >= 100)]
        k = fit(use)
        if k is not None:
            print("fitted exponent %-7s %-9s wall ~ N^%.2f  (over N = %s)"
                  % (engine, workload, k, ", ".join(str(n) for n, _ in use)))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing (apt-get install python3-matplotlib): no plot")
        return
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    style = {"netstep": "-o", "ns-3": "--s"}
    for (engine, workload), pts in sorted(series.items()):
        ax.loglog([n for n, _ in pts], [w for _, w in pts], style.get(engine, "-x"), label="%s %s" % (engine, workload))
    ax.set_xlabel("N (clients)")
    ax.set_ylabel("wall time (s)")
    ax.set_title("ns3-star workloads: wall time against N (same machine, same sitting)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out)
    print("plot:", out)


if __name__ == "__main__":
    main()
