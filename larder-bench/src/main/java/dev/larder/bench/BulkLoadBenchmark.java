package dev.larder.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading {@value #ENTRIES} new entries of 100 B into an empty store, {@code putAll} in batches of
 * {@code batch} entries ({@code batch=1}: one {@code put}, one transaction, per entry). Each
 * iteration is one load into a new store; the score is the time per entry (invert it for
 * entries/s).
 *
 * <pre>
 * java -jar larder-bench/target/benchmarks.jar BulkLoadBenchmark -p batch=1000
 * java -jar larder-bench/target/benchmarks.jar BulkLoadBenchmark -p batch=1 -p store=LARDER,LMDBJAVA,SQLITE
 * </pre>
 *
 * <p>MapDB commits with an fsync here (about 20 puts/s on the development machine), so {@code
 * batch=1} with MapDB takes over an hour; {@code run-peers.sh} leaves that pair out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@OperationsPerInvocation(BulkLoadBenchmark.ENTRIES)
public class BulkLoadBenchmark {
  /** The number of entries loaded per iteration. */
  static final int ENTRIES = 100_000;

  @Param({"LARDER", "LMDBJAVA", "MVSTORE", "MAPDB", "SQLITE", "EHCACHE", "CAFFEINE"})
  StoreType store;

  @Param({"1000", "1"})
  int batch;

  private List<Map<String, byte[]>> batches;
  private Path dir;
  private BenchStore target;

  /** Builds the batches once: keys {@code "key:i"}, random 100-byte values. */
  @Setup(Level.Trial)
  public void prepare() {
    SplittableRandom random = new SplittableRandom(0xB01C);
    batches = new ArrayList<>();
    Map<String, byte[]> current = new LinkedHashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      byte[] v = new byte[100];
      random.nextBytes(v);
      current.put("key:" + i, v);
      if (current.size() == batch || i == ENTRIES - 1) {
        batches.add(current);
        current = new LinkedHashMap<>();
      }
    }
  }

  /** Opens a new, empty store for the iteration. */
  @Setup(Level.Iteration)
  public void open() {
    dir = BenchFiles.newDirectory("larder-bulk-");
    target = store.open(dir, ENTRIES, 100);
  }

  /**
   * Checks the last key, closes the store and deletes its directory.
   *
   * @throws IllegalStateException if the last key was not stored
   */
  @TearDown(Level.Iteration)
  public void close() {
    try {
      if (target.get("key:" + (ENTRIES - 1)) == null) {
        throw new IllegalStateException(store + " lost key:" + (ENTRIES - 1));
      }
    } finally {
      target.close();
      GetPutBenchmark.deleteRecursively(dir);
    }
  }

  /** Loads all entries: {@code putAll} per batch, or {@code put} per entry when {@code batch=1}. */
  @Benchmark
  public int load() {
    for (Map<String, byte[]> b : batches) {
      if (batch == 1) {
        Map.Entry<String, byte[]> e = b.entrySet().iterator().next();
        target.put(e.getKey(), e.getValue());
      } else {
        target.putAll(b);
      }
    }
    return batches.size();
  }
}
