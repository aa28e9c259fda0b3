package dev.larder.bench;

import dev.larder.Cache;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an eviction policy costs a read: {@code get} throughput of 100-byte values over 100,000 keys
 * under each policy, in the same run. Policies that track reads (LRU, LFU, S3-FIFO) note each hit
 * in a per-process buffer that is written in a batch within a second; {@code NONE} and
 * least-recently-stored note nothing. The limit is not reached, so nothing is evicted.
 *
 * <p>Run: {@code java -jar larder-bench/target/benchmarks.jar PolicyReadBenchmark} (add {@code -t
 * 2} for two threads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class PolicyReadBenchmark {
  static final int ENTRIES = 100_000;

  @Param({"NONE", "LEAST_RECENTLY_STORED", "LEAST_RECENTLY_USED", "LEAST_FREQUENTLY_USED", "S3_FIFO"})
  EvictionPolicy policy;

  private Path dir;
  private Cache<String, byte[]> cache;
  private String[] keys;

  /** The key sequence of one thread. */
  @State(Scope.Thread)
  public static class ThreadState {
    final SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory(Path.of(System.getProperty("larder.bench.dir", System.getProperty("java.io.tmpdir"))),
        "policy-read");
    cache = Larder.builder(dir).evictionPolicy(policy).maxSize(8L << 30).open();
    keys = new String[ENTRIES];
    Map<String, byte[]> batch = new LinkedHashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      keys[i] = "key:" + i;
      batch.put(keys[i], new byte[100]);
      if (batch.size() == 1000) {
        cache.putAll(batch);
        batch.clear();
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cache.close();
    GetPutBenchmark.deleteRecursively(dir);
  }

  /** Reads a random key. */
  @Benchmark
  public byte[] get(ThreadState thread) {
    return cache.get(keys[thread.random.nextInt(ENTRIES)]);
  }
}
