package dev.larder.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Random reads and random overwrites of existing keys, Larder against raw lmdbjava in the same run
 * (after Caffeine's {@code GetPutBenchmark}).
 *
 * <p>Each trial opens a new store of type {@code store} in a new directory, preloads {@value
 * #ENTRIES} keys {@code "key:0"} to {@code "key:99999"} with random values of {@code valueSize}
 * bytes, measures, then closes the store and deletes the directory. Every operation picks a key
 * uniformly at random. Each {@code put} is one write transaction, so threads take turns on LMDB's
 * single writer lock.
 *
 * <p>The directory is made under the system property {@code larder.bench.dir}, or {@code
 * java.io.tmpdir} if that is not set. It needs about 2 GB free for {@code valueSize=10240}. Put it
 * on the file system being measured; tmpfs measures memory only.
 *
 * <p>Run from the repository root, after {@code mvn -q -pl larder-bench -am package -DskipTests}:
 *
 * <pre>
 * # everything, 1 thread, ops/s
 * java -jar larder-bench/target/benchmarks.jar GetPutBenchmark -rf json -rff getput-t1.json
 * # everything, 2 threads
 * java -jar larder-bench/target/benchmarks.jar GetPutBenchmark -t 2 -rf json -rff getput-t2.json
 * # latency percentiles (p50, p99, ...) instead of throughput
 * java -jar larder-bench/target/benchmarks.jar GetPutBenchmark -bm sample -tu us
 * # on another disk
 * java -jar larder-bench/target/benchmarks.jar GetPutBenchmark -jvmArgsAppend -Dlarder.bench.dir=/mnt/data/tmp
 * </pre>
 *
 * <p>{@code larder-bench/run-core.sh} runs the 1- and 2-thread runs and {@code ratios.py} turns
 * their JSON into the tables in {@code docs/benchmarks/}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class GetPutBenchmark {
  /** The number of keys preloaded and then read or overwritten. */
  static final int ENTRIES = 100_000;

  /** Entries per transaction while preloading, to keep setup short: about 10 MB at 10 KiB values. */
  private static final int PRELOAD_BATCH = 1_000;

  /** One seed for the values and the threads' key sequences, so that runs pick the same keys. */
  private static final long SEED = 0x1A4DE4L;

  @Param({"LARDER", "LMDBJAVA", "LMDBJAVA_WRITEMAP"})
  StoreType store;

  @Param({"100", "10240"})
  int valueSize;

  private final SplittableRandom seeds = new SplittableRandom(SEED);
  private Path dir;
  private BenchStore target;
  private String[] keys;
  private byte[] value;

  /** The key sequence of one benchmark thread: uniformly random indexes into the preloaded keys. */
  @State(Scope.Thread)
  public static class ThreadState {
    SplittableRandom random;

    /** Takes this thread's own random sequence from the benchmark's seed. */
    @Setup(Level.Trial)
    public void setUp(GetPutBenchmark benchmark) {
      random = benchmark.nextThreadRandom();
    }
  }

  /**
   * Opens a new store in a new directory and preloads {@value #ENTRIES} entries.
   *
   * @throws UncheckedIOException if the directory cannot be created
   * @throws IllegalStateException if the store does not read back a preloaded value
   */
  @Setup(Level.Trial)
  public void setUp() {
    dir = createDirectory();
    target = store.open(dir);
    keys = new String[ENTRIES];
    SplittableRandom values = seeds.split();
    Map<String, byte[]> batch = new LinkedHashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      keys[i] = "key:" + i;
      byte[] v = new byte[valueSize];
      values.nextBytes(v);
      batch.put(keys[i], v);
      if (batch.size() == PRELOAD_BATCH || i == ENTRIES - 1) {
        target.putAll(batch);
        batch.clear();
      }
    }
    value = new byte[valueSize];
    values.nextBytes(value);
    requireValue(keys[ENTRIES - 1]);
  }

  /**
   * Checks that the store still reads a value of the right size, then closes it and deletes its
   * directory.
   *
   * @throws IllegalStateException if the check fails; the directory is deleted anyway
   */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      requireValue(keys[seeds.nextInt(ENTRIES)]);
    } finally {
      target.close();
      deleteRecursively(dir);
    }
  }

  /**
   * Reads a random key. Run alone with
   * {@code java -jar larder-bench/target/benchmarks.jar 'GetPutBenchmark.get$'} (add {@code -t 2}
   * for 2 threads, {@code -bm sample -tu us} for percentiles).
   */
  @Benchmark
  public byte[] get(ThreadState thread) {
    return target.get(keys[thread.random.nextInt(ENTRIES)]);
  }

  /**
   * Overwrites a random existing key with a preallocated value of {@code valueSize} bytes, one write
   * transaction each. Run alone with
   * {@code java -jar larder-bench/target/benchmarks.jar 'GetPutBenchmark.put$'} (add {@code -t 2}
   * for 2 threads, {@code -bm sample -tu us} for percentiles).
   */
  @Benchmark
  public String put(ThreadState thread) {
    String key = keys[thread.random.nextInt(ENTRIES)];
    target.put(key, value);
    return key;
  }

  private synchronized SplittableRandom nextThreadRandom() {
    return seeds.split();
  }

  private void requireValue(String key) {
    byte[] v = target.get(key);
    if (v == null || v.length != valueSize) {
      throw new IllegalStateException(store + " read " + (v == null ? "nothing" : v.length + " bytes")
          + " for " + key + ", expected " + valueSize + " bytes");
    }
  }

  private static Path createDirectory() {
    String base = System.getProperty("larder.bench.dir", System.getProperty("java.io.tmpdir"));
    try {
      Path parent = Files.createDirectories(Path.of(base));
      return Files.createTempDirectory(parent, "larder-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a benchmark directory under " + base, e);
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
