#!/usr/bin/env python3
"""Turns one peers run (run-peers.sh's output directory) into report.md and PNG charts.

Usage: report.py RESULTS_DIR

Reads from RESULTS_DIR:
  getput-*.json   JMH JSON of PeerGetPutBenchmark and ChronicleGetPutBenchmark (ops/s)
  interleaved.jsonl  InterleavedRun: the floors' stores in alternating slices of one JVM
  bulk-*.json     JMH JSON of BulkLoadBenchmark (us per entry)
  stream.json     JMH JSON of StreamBenchmark (ms per 100 MiB)
  multiprocess.jsonl, scale.jsonl   one JSON object per line from MultiProcessBench and ScaleRun
  machine.txt     the machine description
Writes RESULTS_DIR/report.md, RESULTS_DIR/plots/*.csv and RESULTS_DIR/*.png. The PNGs are drawn by
larder-bench/src/main/java/dev/larder/bench/report/Plot.java, run from source with `java` (JDK 11+),
so nothing but Python's standard library and a JDK is needed. The same config measured in several
files (repeated rounds) is reported as the median of the scores. Missing inputs are skipped.
"""

import glob
import json
import math
import os
import statistics
import subprocess
import sys
from collections import defaultdict

SUBJECT = "LARDER"
STORE_ORDER = ["LARDER", "LMDBJAVA", "LMDBJAVA_WRITEMAP", "CHRONICLE_MAP", "MVSTORE", "MAPDB",
               "SQLITE", "EHCACHE", "CAFFEINE"]
MIB = 1 << 20
HERE = os.path.dirname(os.path.abspath(__file__))
PLOT = os.path.join(HERE, "src", "main", "java", "dev", "larder", "bench", "report", "Plot.java")


def number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def fmt(value, digits=2):
    if value is None or math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def ratio(a, b):
    if a is None or b is None or math.isnan(a) or math.isnan(b) or b == 0:
        return math.nan
    return a / b


def ordered(stores):
    known = [s for s in STORE_ORDER if s in stores]
    return known + sorted(set(stores) - set(known))


def size_label(size):
    size = int(size)
    if size >= MIB and size % MIB == 0:
        return f"{size // MIB} MiB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KiB"
    return f"{size} B"


def jmh(paths):
    """{(short benchmark, frozenset params without store, threads): {store: [score, ...]}}"""
    rows = defaultdict(lambda: defaultdict(list))
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for r in json.load(f):
                params = dict(r.get("params", {}))
                store = params.pop("store", params.get("op", "-"))
                method = r["benchmark"].split(".")[-1]
                key = (method, tuple(sorted(params.items())), int(r["threads"]))
                rows[key][store].append(number(r["primaryMetric"]["score"]))
    return {k: {s: statistics.median(v) for s, v in by.items()} for k, by in rows.items()}


def jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def plot(out_dir, name, kind, header, rows, title, x_label, y_label, log_y=False, log_x=False):
    """Writes plots/NAME.csv and draws NAME.png; returns the PNG's file name or None."""
    if not rows:
        return None
    plots = os.path.join(out_dir, "plots")
    os.makedirs(plots, exist_ok=True)
    csv = os.path.join(plots, name + ".csv")
    with open(csv, "w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join("" if (isinstance(v, float) and math.isnan(v)) else str(v)
                             for v in row) + "\n")
    png = os.path.join(out_dir, name + ".png")
    cmd = ["java", PLOT, "--type", kind, "--in", csv, "--out", png, "--title", title,
           "--x-label", x_label, "--y-label", y_label]
    if log_y:
        cmd.append("--log-y")
    if log_x:
        cmd.append("--log-x")
    subprocess.run(cmd, check=True)
    return name + ".png"


def getput_section(out_dir, results, lines, floors):
    if not results:
        return
    lines += ["## Get and put, ops/s", "",
              "Each row is one JMH run in which every store ran back to back (so load on the machine",
              "hits them alike). Scores are ops/s (higher is better); the right-hand columns are",
              "Larder's score divided by the peer's, from the same row.", ""]
    stores = ordered({s for by in results.values() for s in by})
    peers = [s for s in stores if s != SUBJECT]

    def sort_key(k):
        method, params, threads = k
        p = dict(params)
        return (method, int(p.get("valueSize", 0)), p.get("keys", ""), threads)

    for method in ["get", "put"]:
        keys = sorted((k for k in results if k[0] == method), key=sort_key)
        if not keys:
            continue
        head = ["value", "keys", "threads"] + stores + [f"{SUBJECT}/{p}" for p in peers]
        lines += [f"### {method}", "", "| " + " | ".join(head) + " |",
                  "|" + "|".join(["---"] * 3 + ["---:"] * (len(head) - 3)) + "|"]
        for k in keys:
            p = dict(k[1])
            by = results[k]
            cells = [size_label(p.get("valueSize", 0)), p.get("keys", ""), str(k[2])]
            cells += [fmt(by.get(s, math.nan)) for s in stores]
            cells += [fmt(ratio(by.get(SUBJECT), by.get(q))) for q in peers]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")

    def score(method, size, store, keys="UNIFORM", threads=1):
        for k, by in results.items():
            p = dict(k[1])
            if (k[0] == method and int(p.get("valueSize", 0)) == size and p.get("keys") == keys
                    and k[2] == threads):
                return by.get(store)
        return None

    for method, peer, floor in [("get", "CHRONICLE_MAP", 0.7), ("get", "SQLITE", 3.0),
                                ("put", "SQLITE", 3.0)]:
        r = ratio(score(method, 100, SUBJECT), score(method, 100, peer))
        floors.append((f"{method} 100 B, uniform, 1 thread: Larder / {peer} (JMH row)", f">= {floor}",
                       fmt(r), None if math.isnan(r) else r >= floor))

    pngs = []
    for method in ["get", "put"]:
        sizes = sorted({int(dict(k[1]).get("valueSize", 0)) for k in results if k[0] == method})
        rows = []
        for size in sizes:
            rows.append([size_label(size)] + [
                (score(method, size, s) if score(method, size, s) is not None else math.nan)
                for s in stores])
        png = plot(out_dir, f"throughput-{method}", "bar", ["value size"] + stores, rows,
                   f"{method}, uniform keys, 1 thread (ops/s, log scale)", "value size", "ops/s",
                   log_y=True)
        if png:
            pngs.append(png)
    lines += [f"![{p}]({p})" for p in pngs] + [""]


def interleaved_section(records, lines, floors):
    if not records:
        return
    lines += ["## Interleaved: the floors' stores in one JVM", "",
              "`InterleavedRun`: Larder, Chronicle Map, SQLite and lmdbjava open at once in one JVM",
              "(with Chronicle's flags), 100,000 keys of 100 B each, uniform keys, 1 thread; each",
              "round runs every store for one slice in turn, the order rotating, so that load from",
              "elsewhere hits them alike. Medians over the rounds after warmup; the ratio is the",
              "median of the per-round ratios Larder / store, with its interquartile range.", "",
              "| op | store | median ops/s | p25 - p75 ops/s | Larder / store | ratio p25 - p75 |",
              "|---|---|---:|---:|---:|---:|"]
    groups = defaultdict(list)
    for r in records:
        groups[r["op"]].append(r)
    for op in ["get", "put"]:
        for r in groups.get(op, [])[-1:]:
            for store in ordered(r["stores"]):
                m = r["stores"][store]
                lines.append(f"| {op} | {store} | {fmt(m['medianOpsPerSecond'])} | "
                             f"{fmt(m['p25'])} - {fmt(m['p75'])} | {fmt(m['medianLarderRatio'])} | "
                             f"{fmt(m['ratioP25'])} - {fmt(m['ratioP75'])} |")
            rounds, slice_ms = r["rounds"], r["sliceMs"]
    lines += ["", f"{rounds} measured rounds of {slice_ms} ms slices per store.", ""]
    for op, peer, floor in [("get", "CHRONICLE_MAP", 0.7), ("get", "SQLITE", 3.0),
                            ("put", "SQLITE", 3.0)]:
        rs = groups.get(op, [])
        m = rs[-1]["stores"].get(peer) if rs else None
        r = number(m["medianLarderRatio"]) if m else math.nan
        floors.append((f"{op} 100 B, uniform, 1 thread: Larder / {peer} (interleaved)",
                       f">= {floor}", fmt(r), None if math.isnan(r) else r >= floor))


def multiprocess_section(out_dir, records, lines):
    if not records:
        return
    lines += ["## Several processes on one store", "",
              "`MultiProcessBench`: child JVMs on one store directory, each running uniform gets",
              "(or puts) of 100 B values over the same window; the score is the sum of their ops/s.",
              ""]
    groups = defaultdict(list)
    for r in records:
        groups[(r["op"], r["store"], r["processes"])].append(r["opsPerSecond"])
    med = {k: statistics.median(v) for k, v in groups.items()}
    stores = ordered({k[1] for k in med})
    counts = sorted({k[2] for k in med})
    head = ["op", "store"] + [f"{n} process{'es' if n > 1 else ''} (ops/s)" for n in counts]
    if len(counts) > 1:
        head.append(f"{counts[-1]} / {counts[0]}")
    head.append(f"{SUBJECT}/store at {counts[-1]}")
    lines += ["| " + " | ".join(head) + " |",
              "|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|"]
    for op in ["get", "put"]:
        for s in stores:
            if not any((op, s, n) in med for n in counts):
                continue
            cells = [op, s] + [fmt(med.get((op, s, n), math.nan)) for n in counts]
            if len(counts) > 1:
                cells.append(fmt(ratio(med.get((op, s, counts[-1])), med.get((op, s, counts[0])))))
            cells.append(fmt(ratio(med.get((op, SUBJECT, counts[-1])), med.get((op, s, counts[-1])))))
            lines.append("| " + " | ".join(cells) + " |")
    lines.append("")


def scale_section(out_dir, records, lines, floors):
    if not records:
        return
    lines += ["## Scale: 100 B values, 10^4 to 10^7 keys", "",
              "`ScaleRun`, one JVM per row: bulk load with `putAll` in batches of 10,000, then",
              "uniform random gets timed one by one (p50, p99, mean), and the heap used after GC",
              "with the store empty and with it full (MemoryMXBean).", "",
              "| store | keys | get p50 (us) | get p99 (us) | get mean (us) | load (entries/s) "
              "| heap empty (MiB) | heap full (MiB) | heap delta (MiB) | disk (MiB) |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    groups = defaultdict(list)
    for r in records:
        groups[(r["store"], r["keys"])].append(r)
    by = {}
    for k, rs in groups.items():
        by[k] = {f: statistics.median(r[f] for r in rs) for f in rs[0] if isinstance(rs[0][f], (int, float))}
    stores = ordered({k[0] for k in by})
    sizes = sorted({k[1] for k in by})
    for s in stores:
        for n in sizes:
            r = by.get((s, n))
            if not r:
                continue
            lines.append("| " + " | ".join([
                s, f"{n:,}", fmt(r["getP50Us"]), fmt(r["getP99Us"]), fmt(r["getMeanUs"]),
                fmt(r["loadPerSecond"]), fmt(r["heapEmptyBytes"] / MIB, 1),
                fmt(r["heapFullBytes"] / MIB, 1), fmt(r["heapDeltaBytes"] / MIB, 1),
                fmt(r["diskBytes"] / MIB, 0)]) + " |")
    lines.append("")
    if sizes:
        lo, hi = sizes[0], sizes[-1]
        a, b = by.get((SUBJECT, lo)), by.get((SUBJECT, hi))
        if a and b:
            r = ratio(b["getP50Us"], a["getP50Us"])
            floors.append((f"get p50 at {hi:,} keys / at {lo:,} keys (Larder)", "<= 1.5", fmt(r),
                           None if math.isnan(r) else r <= 1.5))
            delta = b["heapDeltaBytes"] / MIB
            floors.append((f"heap used at {hi:,} keys above the empty cache (Larder, MiB)", "<= 64",
                           fmt(delta, 1), delta <= 64))
    rows = []
    series = []
    for s in stores:
        series += [f"{s} p50", f"{s} p99"]
    for n in sizes:
        row = [n]
        for s in stores:
            r = by.get((s, n))
            row += [r["getP50Us"] if r else math.nan, r["getP99Us"] if r else math.nan]
        rows.append(row)
    pngs = [plot(out_dir, "scale-latency", "line", ["keys"] + series, rows,
                 "get latency against key count, 100 B values (us, log scale)", "keys",
                 "microseconds", log_y=True, log_x=True)]
    rows = [[n] + [(by[(s, n)]["heapDeltaBytes"] / MIB if (s, n) in by else math.nan)
                   for s in stores] for n in sizes]
    pngs.append(plot(out_dir, "scale-heap", "line", ["keys"] + stores, rows,
                     "heap used after GC above the empty store (MiB)", "keys", "MiB", log_x=True))
    lines += [f"![{p}]({p})" for p in pngs if p] + [""]


def stream_section(results, lines):
    rows = {dict(k[1]).get("op"): by for k, by in results.items()}
    scores = {}
    for k, by in results.items():
        scores.update(by)
    if not scores:
        return
    lines += ["## Streaming a 100 MiB value", "",
              "`StreamBenchmark`: each operation reads 100 MiB from one file and writes it to",
              "another on the same file system; the base is a plain file copy from the same run.", "",
              "| operation | ms per 100 MiB | MiB/s | / FILE_COPY | / FILE_TRANSFER_TO |",
              "|---|---:|---:|---:|---:|"]
    order = ["FILE_COPY", "FILE_TRANSFER_TO", "LARDER_PUT_STREAM", "LARDER_OPEN_INPUT_STREAM",
             "LARDER_OPEN_TRANSFER_TO"]
    for op in order + sorted(set(scores) - set(order)):
        if op not in scores:
            continue
        ms = scores[op]
        # Times: a ratio above 1 means the operation takes longer than the base.
        lines.append(f"| {op} | {fmt(ms)} | {fmt(100 / (ms / 1000))} | "
                     f"{fmt(ratio(ms, scores.get('FILE_COPY')))} | "
                     f"{fmt(ratio(ms, scores.get('FILE_TRANSFER_TO')))} |")
    lines += ["", "The ratio columns are times: above 1 means slower than the base.", ""]


def bulk_section(results, lines):
    if not results:
        return
    by = defaultdict(dict)
    for k, stores in results.items():
        batch = int(dict(k[1]).get("batch", 0))
        for s, us in stores.items():
            by[s][batch] = us
    batches = sorted({b for s in by.values() for b in s}, reverse=True)
    stores = ordered(set(by))
    lines += ["## Bulk load: 100,000 entries of 100 B into an empty store", "",
              "`BulkLoadBenchmark`: `putAll` in batches against one `put` (one transaction) per",
              "entry. Scores are entries/s (from JMH's single-shot time per entry).", "",
              "| store | " + " | ".join(f"batch {b} (entries/s)" for b in batches)
              + (f" | batch {batches[0]} / batch {batches[-1]}" if len(batches) > 1 else "")
              + " | " + " | ".join(f"{SUBJECT}/store, batch {b}" for b in batches) + " |",
              "|---|" + "---:|" * (2 * len(batches) + (1 if len(batches) > 1 else 0))]
    rate = {s: {b: 1e6 / us for b, us in v.items()} for s, v in by.items()}
    for s in stores:
        cells = [s] + [fmt(rate[s].get(b, math.nan)) for b in batches]
        if len(batches) > 1:
            cells.append(fmt(ratio(rate[s].get(batches[0]), rate[s].get(batches[-1]))))
        cells += [fmt(ratio(rate.get(SUBJECT, {}).get(b), rate[s].get(b))) for b in batches]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out_dir = argv[1]
    lines = [f"# Peers run: {os.path.basename(os.path.abspath(out_dir))}", ""]
    machine = os.path.join(out_dir, "machine.txt")
    if os.path.exists(machine):
        with open(machine, encoding="utf-8") as f:
            lines += ["```", f.read().rstrip(), "```", ""]
    floors = []
    body = []
    getput_section(out_dir, jmh(sorted(glob.glob(os.path.join(out_dir, "getput-*.json")))),
                   body, floors)
    interleaved_section(jsonl(os.path.join(out_dir, "interleaved.jsonl")), body, floors)
    multiprocess_section(out_dir, jsonl(os.path.join(out_dir, "multiprocess.jsonl")), body)
    scale_section(out_dir, jsonl(os.path.join(out_dir, "scale.jsonl")), body, floors)
    stream = os.path.join(out_dir, "stream.json")
    stream_section(jmh([stream] if os.path.exists(stream) else []), body)
    bulk_section(jmh(sorted(glob.glob(os.path.join(out_dir, "bulk-*.json")))), body)
    if floors:
        lines += ["## Floors (issue 7)", "", "| floor | required | measured | result |",
                  "|---|---|---:|---|"]
        for name, required, measured, ok in floors:
            verdict = "n/a" if ok is None else ("pass" if ok else "**fail**")
            lines.append(f"| {name} | {required} | {measured} | {verdict} |")
        lines.append("")
    lines += body
    report = os.path.join(out_dir, "report.md")
    with open(report, "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip() + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
