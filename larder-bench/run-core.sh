#!/usr/bin/env bash
# Runs GetPutBenchmark (Larder against raw lmdbjava) with 1 and then 2 threads and writes the JMH
# JSON results, the logs, a machine description and the ratio tables to OUT_DIR.
#
# Usage: larder-bench/run-core.sh OUT_DIR [JMH options...]
#   e.g. larder-bench/run-core.sh docs/benchmarks/results/2025-01-01
#        larder-bench/run-core.sh /tmp/smoke -wi 1 -i 1 -w 1s -r 1s -p valueSize=100
#
# The stores' directories go under $LARDER_BENCH_DIR if set (passed to the forked JVMs as
# -Dlarder.bench.dir), otherwise under java.io.tmpdir. Do not pass -t or -rf/-rff: the script sets
# them. Builds larder-bench/target/benchmarks.jar first if it is missing or older than the sources.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/larder-bench/target/benchmarks.jar"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
shift

stale() {
  [[ ! -f $jar ]] && return 0
  [[ -n $(find "$root/pom.xml" "$root/larder-bench/pom.xml" "$root/larder-bench/src" \
    "$root/larder-core/pom.xml" "$root/larder-core/src/main" -type f -newer "$jar" -print -quit) ]]
}
if stale; then
  echo "building $jar" >&2
  (cd "$root" && mvn -q -pl larder-bench -am package -DskipTests)
fi

jvm_args=()
bench_dir="${LARDER_BENCH_DIR:-$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.io.tmpdir = //p')}"
if [[ -n ${LARDER_BENCH_DIR:-} ]]; then
  mkdir -p "$LARDER_BENCH_DIR"
  jvm_args=(-jvmArgsAppend "-Dlarder.bench.dir=$LARDER_BENCH_DIR")
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -srm)"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1) x $(nproc)"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null)"
  echo "store directory: $bench_dir ($(stat -f -c %T "$bench_dir" 2>/dev/null || echo unknown) file system)"
  echo "java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "jmh options: $*"
} > "$out/machine.txt"
cat "$out/machine.txt" >&2

for threads in 1 2; do
  java -jar "$jar" GetPutBenchmark -t "$threads" "${jvm_args[@]}" "$@" \
    -rf json -rff "$out/getput-t$threads.json" | tee "$out/getput-t$threads.log"
done

python3 "$root/larder-bench/ratios.py" "$out/getput-t1.json" "$out/getput-t2.json" | tee "$out/ratios.md"
