#!/usr/bin/env python3
"""Reference indicator values for the signals regression test, computed independently of the
C++ code: plain lists, every window recomputed from scratch with exact two-pass statistics
(statistics.fmean / statistics.pstdev), standard library only.

Definitions (issue 5), for bar t of a series with N = atr_period, W = zscore_window,
k = momentum_lookback and quote volume qv = volume * close:
  TR_t  = max(high_t - low_t, |high_t - close_{t-1}|, |low_t - close_{t-1}|)       (t >= 1)
  ATR   = TA-Lib: mean of TR_1..TR_N on bar index N, then (ATR_{t-1} * (N - 1) + TR_t) / N
  m_t   = (close_t - close_{t-k}) / ATR_{t-1}
  chg_t = (close_t / close_{t-k} - 1) * 100
  r_t   = ln(close_t / close_{t-1});  z_r = (r_t - mean) / pstdev of r_{t-W}..r_{t-1}
  z_v   = (qv_t - mean) / pstdev of qv_{t-W}..qv_{t-1}
A value is empty when undefined: window not full, or a zero ATR / stdev.

Usage: compute_indicators.py INPUT.csv N W K OUTPUT.csv
       compute_indicators.py --all     (regenerates every fixture under tests/fixtures/signals/)
       compute_indicators.py --check   (exit 1 unless every fixture is what this script writes)
"""

import csv
import io
import math
import os
import statistics
import sys

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "signals")

# (input csv, N, W, k, output csv)
CASES = [
    ("XRPUSDT-PERP_5m_2021-11.csv", 14, 50, 1, "XRPUSDT-PERP_5m_2021-11_n14_w50_k1.csv"),
    ("XRPETH_5m_2019-10.csv", 14, 50, 1, "XRPETH_5m_2019-10_n14_w50_k1.csv"),
    # Tiny windows on the illiquid pair reach the zero-ATR and zero-stdev cases.
    ("XRPETH_5m_2019-10.csv", 1, 2, 3, "XRPETH_5m_2019-10_n1_w2_k3.csv"),
]

COLUMNS = ["open_time", "true_range", "atr", "momentum", "change_percent", "log_return",
           "return_z", "volume_z"]


def read_bars(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        {
            "open_time": int(r["open_time"]),
            "high": float(r["high"]),
            "low": float(r["low"]),
            "close": float(r["close"]),
            "quote_volume": float(r["volume"]) * float(r["close"]),
        }
        for r in rows
    ]


def true_ranges(bars):
    out = [None]
    for t in range(1, len(bars)):
        h, l, pc = bars[t]["high"], bars[t]["low"], bars[t - 1]["close"]
        out.append(max(h - l, abs(h - pc), abs(l - pc)))
    return out


def wilder_atr(tr, n):
    atr = [None] * len(tr)
    if len(tr) <= n:
        return atr
    total = 0.0
    for t in range(1, n + 1):
        total += tr[t]
    atr[n] = total / n
    for t in range(n + 1, len(tr)):
        prev = atr[t - 1] * (n - 1)
        prev += tr[t]
        atr[t] = prev / n
    return atr


def zscore(window, value):
    sd = statistics.pstdev(window)
    if sd == 0:
        return None
    return (value - statistics.fmean(window)) / sd


def compute(bars, n, w, k):
    closes = [b["close"] for b in bars]
    qv = [b["quote_volume"] for b in bars]
    tr = true_ranges(bars)
    atr = wilder_atr(tr, n)
    returns = [None] + [math.log(closes[t] / closes[t - 1]) for t in range(1, len(bars))]
    rows = []
    for t in range(len(bars)):
        momentum = change = rz = vz = None
        if t >= k:
            change = (closes[t] / closes[t - k] - 1) * 100
            if t >= 1 and atr[t - 1] is not None and atr[t - 1] > 0:
                momentum = (closes[t] - closes[t - k]) / atr[t - 1]
        if t >= w + 1:
            rz = zscore(returns[t - w:t], returns[t])
        if t >= w:
            vz = zscore(qv[t - w:t], qv[t])
        rows.append([bars[t]["open_time"], tr[t], atr[t], momentum, change, returns[t], rz, vz])
    return rows


def render(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row[0]] + ["" if v is None else repr(v) for v in row[1:]])
    return out.getvalue()


def write(rows, path):
    with open(path, "w", newline="") as f:
        f.write(render(rows))


def main(argv):
    if argv[1:] in (["--all"], ["--check"]):
        stale = []
        for source, n, w, k, target in CASES:
            rows = compute(read_bars(os.path.join(FIXTURES, source)), n, w, k)
            path = os.path.join(FIXTURES, target)
            if argv[1] == "--all":
                write(rows, path)
            else:
                with open(path, newline="") as f:
                    if f.read() != render(rows):
                        stale.append(target)
        for target in stale:
            print(f"{target} differs from what {os.path.basename(argv[0])} computes",
                  file=sys.stderr)
        return 1 if stale else 0
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    rows = compute(read_bars(argv[1]), int(argv[2]), int(argv[3]), int(argv[4]))
    write(rows, argv[5])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
