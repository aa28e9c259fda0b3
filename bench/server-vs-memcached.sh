#!/usr/bin/env bash
# Larder's memcached server against a real memcached 1.6, side by side in one run.
#
#   bench/server-vs-memcached.sh            # 5 alternating rounds of 10 s per tool and server
#   ROUNDS=3 RUN_SECONDS=5 bench/server-vs-memcached.sh
#
# Workload: 90% get / 10% set, 100-byte values, 64-byte keys, on loopback.
#  - memaslap (Debian: memcaslap, from libmemcached-tools): 2 threads x 32 concurrent connections;
#    ops/s, and p99 read from its log2 latency histogram (an upper bound: buckets double).
#  - bench/MemcacheLoad.java: a closed-loop Java client, 8 connections, one request in flight
#    each, every latency recorded: exact p50/p99.
# Rounds alternate memcached and larder so both see the same machine load; a warm-up run of each
# (JIT for larder) is discarded. Medians of the rounds are reported, with larder/memcached ratios,
# and written to docs/benchmarks/server-vs-memcached.md.
#
# Needs: memcached, libmemcached-tools (bench/install-deps.sh), java 17+, python3, maven for the jar.
set -euo pipefail

root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-5}"
secs="${RUN_SECONDS:-10}"
mc_port="${MC_PORT:-21411}"
ld_port="${LD_PORT:-21412}"
out_md="$root/docs/benchmarks/server-vs-memcached.md"

aslap="$(command -v memcaslap || command -v memaslap || true)"
memcached_bin="$(command -v memcached || true)"
if [[ -z "$aslap" || -z "$memcached_bin" ]]; then
  echo "needs memcached and memcaslap/memaslap: run bench/install-deps.sh" >&2
  exit 2
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/larder" --version >/dev/null   # builds larder-cli/target/larder.jar if needed
jar="$root/larder-cli/target/larder.jar"

user_opt=()
[[ "$(id -u)" == 0 ]] && user_opt=(-u nobody)
"$memcached_bin" "${user_opt[@]}" -l 127.0.0.1 -p "$mc_port" -U 0 -m 1024 -t 4 -c 4096 &
pids+=($!)
java -jar "$jar" serve --dir "$work/larder-data" --port "$ld_port" --max-size 1g 2>"$work/larder.log" &
pids+=($!)
for _ in $(seq 1 300); do grep -q "ready on" "$work/larder.log" && break; sleep 0.1; done
grep "ready on" "$work/larder.log" >&2

cat >"$work/aslap.cfg" <<'CFG'
key
64 64 1
value
100 100 1
cmd
0 0.1
1 0.9
CFG

# memaslap run -> "ops_per_s p99_upper_us"
aslap_run() {
  "$aslap" -s "127.0.0.1:$1" -F "$work/aslap.cfg" -t "${secs}s" -S "${secs}s" -T 2 -c 32 2>&1 | python3 -c '
import re, sys
text = sys.stdin.read()
tps = re.findall(r"TPS: (\d+)", text)[-1]
block = text[text.rindex("Total Statistics ("):]
hist = {}
for row in re.findall(r"^\s+(\d+):((?:\s+\d+)+)\s*$", block.split("Log2 Dist:")[1], re.M):
    for i, n in enumerate(row[1].split()):
        hist[int(row[0]) + i] = int(n)
total = sum(hist.values()); seen = 0
for e in sorted(hist):
    seen += hist[e]
    if seen >= 0.99 * total:
        print(tps, 2 ** (e + 1)); break
'
}

# MemcacheLoad run -> "ops_per_s p50_us p99_us"
load_run() {
  java "$root/bench/MemcacheLoad.java" "127.0.0.1:$1" "$secs" 8 10000 100 90 | python3 -c '
import re, sys
line = sys.stdin.read()
d = dict(re.findall(r"(\w+)=([\d.]+)", line))
assert d.get("errors") == "0", line
print(d["ops_per_s"], d["p50_us"], d["p99_us"])
'
}

echo "warm-up ..." >&2
aslap_run "$mc_port" >/dev/null; aslap_run "$ld_port" >/dev/null
load_run "$mc_port" >/dev/null; load_run "$ld_port" >/dev/null

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
: >"$work/results"
for r in $(seq 1 "$rounds"); do
  for target in memcached larder; do
    port="$mc_port"; [[ "$target" == larder ]] && port="$ld_port"
    a="$(aslap_run "$port")"
    l="$(load_run "$port")"
    echo "$r $target $a $l" | tee -a "$work/results" >&2
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

summary="$(python3 - "$work/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(target, col):
    return statistics.median(float(r[col]) for r in rows if r[1] == target)
cols = {"memaslap ops/s": 2, "memaslap p99 (us, log2 bound)": 3, "MemcacheLoad ops/s": 4,
        "MemcacheLoad p50 (us)": 5, "MemcacheLoad p99 (us)": 6}
print("| metric (median of %d rounds) | memcached | larder | larder / memcached |" % (len(rows) // 2))
print("|---|---|---|---|")
for name, c in cols.items():
    m, l = med("memcached", c), med("larder", c)
    print("| %s | %.0f | %.0f | %.2f |" % (name, m, l, l / m))
print()
print("Per round (round, server, memaslap ops/s, memaslap p99 bound us, MemcacheLoad ops/s, p50 us, p99 us):")
print()
print("```")
for r in rows:
    print(" ".join(r))
print("```")
PY
)"
echo "$summary"

mkdir -p "$(dirname "$out_md")"
cat >"$out_md" <<MD
# larder serve against memcached

Run by \`bench/server-vs-memcached.sh\` (ROUNDS=$rounds RUN_SECONDS=$secs) on $(date -u +%Y-%m-%d).
Both servers on loopback in one run, rounds alternating memcached and larder, after a discarded
warm-up run of each. Workload: 90% get / 10% set, 100-byte values, keys of 64 bytes (memaslap)
or \`key:N\` over 10,000 keys (MemcacheLoad).

$summary

- memaslap: \`$(basename "$aslap") -s 127.0.0.1:PORT -F cfg -t ${secs}s -S ${secs}s -T 2 -c 32\` with cfg
  \`key 64 64 1 / value 100 100 1 / cmd 0 0.1, 1 0.9\` (a set:get ratio of 1:9). Its p99 is read
  from its log2 histogram, so it is an upper bound that can only be a power of two.
- MemcacheLoad: \`java bench/MemcacheLoad.java 127.0.0.1:PORT $secs 8 10000 100 90\`: 8 connections,
  one request in flight each, every latency recorded; exact percentiles.
- memcached: \`$("$memcached_bin" -V)\`, \`-U 0 -m 1024 -t 4 -c 4096\`.
- larder: \`java -jar larder-cli/target/larder.jar serve --port PORT --max-size 1g\` on a fresh
  directory (default settings: as many worker threads as processors, half as many event loops, Durability.PROCESS).

Machine: $(nproc) cores ($(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs)),
$(free -g | awk '/Mem:/ {print $2}') GiB memory, $(java -version 2>&1 | head -1).
Load average before / after the measured rounds: $load_before / $load_after (the benchmark's own
clients and servers count in it; more than about 4 means other work was running). The alternating
rounds give both servers the same conditions, and the ratios are the figures to read.

Reading the numbers: every request to larder crosses from the network thread to a worker thread
(the cache operation, off the event loop) and back (the reply), where memcached answers on the
thread that read the request. On two busy cores each crossing is a thread wake-up that waits for
the scheduler, which shows most in the closed-loop client (one request in flight per connection):
its p50 is the round trip. memaslap keeps more requests in flight and the gap is smaller. Netty's
native epoll transport instead of NIO made no measurable difference (tried, dropped).
MD
echo "wrote $out_md" >&2
