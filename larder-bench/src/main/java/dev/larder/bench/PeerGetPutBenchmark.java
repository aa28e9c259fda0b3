package dev.larder.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Larder against its peers, get and put, in one run (after Caffeine's {@code GetPutBenchmark}):
 * raw lmdbjava (the floor), H2 MVStore, MapDB, SQLite with python-diskcache's layout, Ehcache 3
 * with a persistent disk tier, and Caffeine (the in-heap ceiling). Chronicle Map needs JVM flags
 * and so runs in {@link ChronicleGetPutBenchmark}, with the same body ({@link PeerBenchmarkBase}).
 *
 * <p>Run from the repository root (the whole suite: {@code larder-bench/run-peers.sh}):
 *
 * <pre>
 * java -jar larder-bench/target/benchmarks.jar '(Peer|Chronicle)GetPutBenchmark.get$' \
 *     -p valueSize=100 -p keys=UNIFORM -t 1 -rf json -rff get-100.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class PeerGetPutBenchmark extends PeerBenchmarkBase {
  @Param({"LARDER", "LMDBJAVA", "MVSTORE", "MAPDB", "SQLITE", "EHCACHE", "CAFFEINE"})
  StoreType store;

  @Override
  StoreType storeType() {
    return store;
  }
}
