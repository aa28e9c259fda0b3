#!/usr/bin/env bash
# Runs Larder's benchmark suite against its peers (issue 7) and writes the raw results, a machine
# description, report.md and the PNG charts to OUT_DIR. About 45 minutes on 2 busy cores; --quick is a
# smoke run of a few minutes that exercises every part with tiny settings (not for results).
#
# Usage: larder-bench/run-peers.sh [--quick] [--only PARTS] OUT_DIR
#   PARTS: comma-separated, from getput,interleaved,multiprocess,scale,stream,bulk (default: all)
#   e.g. larder-bench/run-peers.sh docs/benchmarks/results/2026-12-06-peers
#        larder-bench/run-peers.sh --quick /tmp/peers-smoke
#        larder-bench/run-peers.sh --only scale,stream /tmp/peers
# Tables and charts only, from results already in OUT_DIR: python3 larder-bench/report.py OUT_DIR
#
# Stores go under $LARDER_BENCH_DIR if set, otherwise java.io.tmpdir; the 10^7-key scale step
# needs about 4 GB there. Every get/put row is one JMH run with all stores back to back, so that
# load on the machine hits them alike. The JMH lock is ignored (-Djmh.ignoreLock) so that the
# suite runs on a shared machine; on such a machine the numbers are noisy, so say so.
set -euo pipefail

quick=0
only="getput,interleaved,multiprocess,scale,stream,bulk"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
if [[ $# -ne 1 ]]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/larder-bench/target/benchmarks.jar"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
wants() { [[ ",$only," == *",$1,"* ]]; }

stale() {
  [[ ! -f $jar ]] && return 0
  [[ -n $(find "$root/pom.xml" "$root/larder-bench/pom.xml" "$root/larder-bench/src" \
    "$root/larder-core/pom.xml" "$root/larder-core/src/main" -type f -newer "$jar" -print -quit) ]]
}
if stale; then
  echo "building $jar" >&2
  (cd "$root" && mvn -q -pl larder-bench -am package -DskipTests)
fi

java_opts=(-Djmh.ignoreLock=true)
jmh_jvm=()
bench_dir="${LARDER_BENCH_DIR:-$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.io.tmpdir = //p')}"
if [[ -n ${LARDER_BENCH_DIR:-} ]]; then
  mkdir -p "$LARDER_BENCH_DIR"
  java_opts+=("-Dlarder.bench.dir=$LARDER_BENCH_DIR")
  jmh_jvm=(-jvmArgsAppend "-Dlarder.bench.dir=$LARDER_BENCH_DIR")
fi

if [[ $quick == 1 ]]; then
  jmh_iter=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
  sizes=(100); dists=(UNIFORM); t2_sizes=()
  mp_stores=(LARDER LMDBJAVA); mp_ops=(get); mp_warmup=1; mp_seconds=2
  scale_keys=(10000 100000); scale_samples=50000
  stream_iter=(-f 1 -wi 0 -i 1 -r 1s)
  bulk_batches=(1000)
  bulk_iter=(-f 1 -wi 0 -i 1)
  il_rounds=6; il_warmup=2; il_slice=100; il_entries=20000
else
  jmh_iter=(-f 1 -wi 3 -w 1s -i 3 -r 1s)
  sizes=(100 10240 1048576); dists=(UNIFORM ZIPF); t2_sizes=(100 10240)
  mp_stores=(LARDER LMDBJAVA CHRONICLE_MAP SQLITE); mp_ops=(get put); mp_warmup=5; mp_seconds=5
  scale_keys=(10000 100000 1000000 10000000); scale_samples=200000
  stream_iter=(-f 1 -wi 2 -w 2s -i 3 -r 2s)
  bulk_batches=(1000 1)
  bulk_iter=(-f 1 -wi 1 -i 3)
  il_rounds=45; il_warmup=5; il_slice=200; il_entries=100000
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -srm)"
  echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1) x $(nproc)"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
  echo "store directory: $bench_dir ($(stat -f -c %T "$bench_dir" 2>/dev/null || echo unknown) file system)"
  echo "java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "command: larder-bench/run-peers.sh $([[ $quick == 1 ]] && echo '--quick ')--only $only"
} > "$out/machine.txt"
cat "$out/machine.txt" >&2

jmh() { java "${java_opts[@]}" -jar "$jar" "$@" "${jmh_jvm[@]}"; }

if wants getput; then
  # One JMH run per row: all stores (Chronicle Map in its own class, for its JVM flags) back to back.
  row() { # method valueSize keys threads
    local name="getput-$1-$2-$3-t$4"
    echo "== $name" >&2
    jmh "(Peer|Chronicle)GetPutBenchmark.$1\$" -p valueSize="$2" -p keys="$3" -t "$4" \
      "${jmh_iter[@]}" -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1 \
      || { echo "FAILED: $name (see $name.log)" >&2; tail -5 "$out/$name.log" >&2; }
  }
  for size in "${sizes[@]}"; do
    for dist in "${dists[@]}"; do
      for method in get put; do row "$method" "$size" "$dist" 1; done
    done
  done
  for size in "${t2_sizes[@]}"; do
    for method in get put; do row "$method" "$size" UNIFORM 2; done
  done
fi

if wants interleaved; then
  # The floors' stores in one JVM, in alternating 200 ms slices: ratios that survive a loaded machine.
  : > "$out/interleaved.jsonl"
  for op in get put; do
    echo "== interleaved $op" >&2
    java "${java_opts[@]}" -cp "$jar" dev.larder.bench.InterleavedRun \
      --stores LARDER,CHRONICLE_MAP,SQLITE,LMDBJAVA --op "$op" --value-size 100 \
      --entries "$il_entries" --rounds "$il_rounds" --warmup-rounds "$il_warmup" \
      --slice-ms "$il_slice" --out "$out/interleaved.jsonl" 2>> "$out/interleaved.log" > /dev/null \
      || echo "FAILED: interleaved $op (see interleaved.log)" >&2
  done
fi

if wants multiprocess; then
  : > "$out/multiprocess.jsonl"
  for op in "${mp_ops[@]}"; do
    for processes in 1 2; do
      for store in "${mp_stores[@]}"; do
        echo "== multiprocess $store $op x$processes" >&2
        java "${java_opts[@]}" -cp "$jar" dev.larder.bench.MultiProcessBench --store "$store" \
          --processes "$processes" --op "$op" --value-size 100 --entries 100000 \
          --warmup "$mp_warmup" --seconds "$mp_seconds" --out "$out/multiprocess.jsonl" \
          2>> "$out/multiprocess.log" || echo "FAILED: multiprocess $store $op x$processes" >&2
      done
    done
  done
fi

if wants scale; then
  : > "$out/scale.jsonl"
  for keys in "${scale_keys[@]}"; do
    for store in LARDER LMDBJAVA; do
      echo "== scale $store $keys" >&2
      java "${java_opts[@]}" -cp "$jar" dev.larder.bench.ScaleRun --store "$store" --keys "$keys" \
        --samples "$scale_samples" --out "$out/scale.jsonl" 2>> "$out/scale.log" \
        || echo "FAILED: scale $store $keys" >&2
    done
  done
fi

if wants stream; then
  echo "== stream" >&2
  jmh StreamBenchmark "${stream_iter[@]}" -rf json -rff "$out/stream.json" > "$out/stream.log" 2>&1 \
    || echo "FAILED: stream (see stream.log)" >&2
fi

if wants bulk; then
  for batch in "${bulk_batches[@]}"; do
    echo "== bulk batch=$batch" >&2
    stores=LARDER,LMDBJAVA,MVSTORE,MAPDB,SQLITE,EHCACHE,CAFFEINE
    iter=("${bulk_iter[@]}")
    if [[ $batch == 1 ]]; then
      # MapDB commits with an fsync: 100,000 single puts would take over an hour.
      stores=LARDER,LMDBJAVA,MVSTORE,SQLITE,EHCACHE,CAFFEINE
      iter=(-f 1 -wi 0 -i 2)
    fi
    jmh BulkLoadBenchmark -p batch="$batch" -p store="$stores" "${iter[@]}" \
      -rf json -rff "$out/bulk-$batch.json" > "$out/bulk-$batch.log" 2>&1 \
      || echo "FAILED: bulk batch=$batch (see bulk-$batch.log)" >&2
  done
fi

python3 "$root/larder-bench/report.py" "$out" > /dev/null
echo "wrote $out/report.md" >&2
