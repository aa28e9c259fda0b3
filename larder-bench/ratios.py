#!/usr/bin/env python3
"""Prints Markdown tables comparing Larder with its peers from JMH JSON result files.

Usage: ratios.py RESULT.json [RESULT.json ...]

For each (benchmark, valueSize, threads) the table shows every store's score with the JMH score
error (the 99.9% confidence half-width; "n/a" with fewer than two iterations) and the ratios
LARDER/LMDBJAVA and LARDER/LMDBJAVA_WRITEMAP. Throughput runs give ops/s, where a ratio above 1
means Larder is faster. Sample-time runs (-bm sample) give p50 and p99 latencies, where a ratio
above 1 means Larder is slower. Standard library only.
"""

import json
import math
import sys
from collections import defaultdict

SUBJECT = "LARDER"
PEERS = ["LMDBJAVA", "LMDBJAVA_WRITEMAP"]
PERCENTILES = ["50.0", "99.0"]


def number(value):
    """A JMH score as a float; JMH writes NaN as the string "NaN"."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def fmt(value):
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def ratio(a, b):
    if math.isnan(a) or math.isnan(b) or b == 0:
        return "n/a"
    return f"{a / b:.2f}"


def load(paths):
    """Groups results as {(mode, unit): {(benchmark, valueSize, threads): {store: metric}}}."""
    groups = defaultdict(lambda: defaultdict(dict))
    for path in paths:
        with open(path, encoding="utf-8") as f:
            results = json.load(f)
        for r in results:
            params = r.get("params", {})
            store = params.get("store")
            if store is None:
                continue
            name = ".".join(r["benchmark"].split(".")[-2:])
            value_size = params.get("valueSize", "")
            metric = r["primaryMetric"]
            key = (name, value_size, int(r["threads"]))
            groups[(r["mode"], metric["scoreUnit"])][key][store] = metric
    return groups


def stores_of(rows):
    found = {s for stores in rows.values() for s in stores}
    ordered = [s for s in [SUBJECT] + PEERS if s in found]
    return ordered + sorted(found - set(ordered))


def row_order(key):
    name, value_size, threads = key
    size = int(value_size) if str(value_size).isdigit() else 0
    return (name, size, threads)


def score_table(mode, unit, rows):
    stores = stores_of(rows)
    peers = [p for p in PEERS if p in stores and SUBJECT in stores]
    head = ["benchmark", "valueSize", "threads"]
    for s in stores:
        head += [f"{s} ({unit})", "±"]
    head += [f"{SUBJECT}/{p}" for p in peers]
    lines = [f"### {mode} ({unit})", "", "| " + " | ".join(head) + " |",
             "|" + "|".join(["---"] * 3 + ["---:"] * (len(head) - 3)) + "|"]
    for key in sorted(rows, key=row_order):
        by_store = rows[key]
        cells = [key[0], str(key[1]), str(key[2])]
        for s in stores:
            m = by_store.get(s)
            cells += [fmt(number(m["score"])), fmt(number(m["scoreError"]))] if m else ["", ""]
        subject = number(by_store[SUBJECT]["score"]) if SUBJECT in by_store else math.nan
        for p in peers:
            peer = number(by_store[p]["score"]) if p in by_store else math.nan
            cells.append(ratio(subject, peer))
        lines.append("| " + " | ".join(cells) + " |")
    better = "faster" if mode == "thrpt" else "slower"
    lines += ["", f"A ratio above 1 means {SUBJECT} is {better} than the peer.", ""]
    return lines


def sample_table(unit, rows):
    stores = stores_of(rows)
    peers = [p for p in PEERS if p in stores and SUBJECT in stores]
    head = ["benchmark", "valueSize", "threads", "percentile"]
    head += [f"{s} ({unit})" for s in stores]
    head += [f"{SUBJECT}/{p}" for p in peers]
    lines = [f"### sample ({unit})", "", "| " + " | ".join(head) + " |",
             "|" + "|".join(["---"] * 4 + ["---:"] * (len(head) - 4)) + "|"]
    for key in sorted(rows, key=row_order):
        by_store = rows[key]
        for pct in PERCENTILES:
            def at(store):
                m = by_store.get(store)
                return number(m.get("scorePercentiles", {}).get(pct)) if m else math.nan
            cells = [key[0], str(key[1]), str(key[2]), "p" + pct.split(".")[0]]
            cells += [fmt(at(s)) for s in stores]
            cells += [ratio(at(SUBJECT), at(p)) for p in peers]
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"A ratio above 1 means {SUBJECT} is slower than the peer.", ""]
    return lines


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    groups = load(argv[1:])
    if not groups:
        print("no results with a 'store' parameter in " + ", ".join(argv[1:]), file=sys.stderr)
        return 1
    out = []
    for (mode, unit) in sorted(groups):
        rows = groups[(mode, unit)]
        out += sample_table(unit, rows) if mode == "sample" else score_table(mode, unit, rows)
    print("\n".join(out).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
