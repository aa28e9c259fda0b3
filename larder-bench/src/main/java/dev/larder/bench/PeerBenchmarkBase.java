package dev.larder.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The body of the peer get/put benchmarks, shared by {@link PeerGetPutBenchmark} and {@link
 * ChronicleGetPutBenchmark}, which differ only in their stores and JVM flags.
 *
 * <p>Each trial opens a new store in a new directory and preloads {@code entries(valueSize)} keys
 * {@code "key:0"}, {@code "key:1"}, ... with random values: 100,000 keys of 100 B, and at most 256
 * MiB of values for the larger sizes (26,214 of 10 KiB, 256 of 1 MiB), so that every peer, the
 * in-heap Caffeine included, holds the whole set. Keys are drawn from a precomputed array of
 * {@value KeyDistribution#SAMPLES} indexes ({@code keys} = {@code UNIFORM} or {@code ZIPF}), so
 * drawing costs one array read. {@code get} reads a key; {@code put} overwrites an existing key
 * with a preallocated value, one committed write each.
 */
@State(Scope.Benchmark)
public abstract class PeerBenchmarkBase {
  /** At most this many value bytes are preloaded. */
  static final long DATA_BYTES = 256L << 20;

  /** At most this many keys are preloaded. */
  static final int MAX_ENTRIES = 100_000;

  private static final long SEED = 0x1A4DE4L;
  private static final long PRELOAD_BATCH_BYTES = 16L << 20;

  @Param({"100", "10240", "1048576"})
  int valueSize;

  @Param({"UNIFORM", "ZIPF"})
  KeyDistribution keys;

  private final SplittableRandom seeds = new SplittableRandom(SEED);
  private Path dir;
  private BenchStore target;
  private String[] names;
  private int[] indexes;
  private byte[] value;

  /** The store this benchmark class measures: its {@code @Param store}. */
  abstract StoreType storeType();

  /** The number of keys preloaded for values of {@code valueSize} bytes. */
  static int entries(int valueSize) {
    return (int) Math.min(MAX_ENTRIES, DATA_BYTES / valueSize);
  }

  /** One benchmark thread's position in the shared index array. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final SplittableRandom STARTS = new SplittableRandom(SEED);
    int next;

    /** Starts each thread at its own random place in the array. */
    @Setup(Level.Trial)
    public void setUp() {
      synchronized (STARTS) {
        next = STARTS.nextInt(KeyDistribution.SAMPLES);
      }
    }
  }

  /**
   * Opens a new store and preloads it.
   *
   * @throws IllegalStateException if the store does not read back a preloaded value
   */
  @Setup(Level.Trial)
  public void setUp() {
    int n = entries(valueSize);
    dir = BenchFiles.newDirectory("larder-peers-");
    try {
      target = storeType().open(dir, n, valueSize);
      preload(n);
    } catch (RuntimeException e) {
      // JMH skips the teardown of a trial whose setup failed: leave no store behind.
      if (target != null) {
        target.close();
      }
      GetPutBenchmark.deleteRecursively(dir);
      throw e;
    }
  }

  private void preload(int n) {
    names = new String[n];
    SplittableRandom values = seeds.split();
    Map<String, byte[]> batch = new LinkedHashMap<>();
    long batchBytes = 0;
    for (int i = 0; i < n; i++) {
      names[i] = "key:" + i;
      byte[] v = new byte[valueSize];
      values.nextBytes(v);
      batch.put(names[i], v);
      batchBytes += valueSize;
      if (batch.size() == 1_000 || batchBytes >= PRELOAD_BATCH_BYTES || i == n - 1) {
        target.putAll(batch);
        batch.clear();
        batchBytes = 0;
      }
    }
    value = new byte[valueSize];
    values.nextBytes(value);
    indexes = keys.indexes(n, seeds.split());
    requireValue(names[n - 1]);
  }

  /** Checks a value, then closes the store and deletes its directory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      requireValue(names[indexes[0]]);
    } finally {
      target.close();
      GetPutBenchmark.deleteRecursively(dir);
    }
  }

  /** Reads one key. */
  @Benchmark
  public byte[] get(Cursor cursor) {
    return target.get(names[indexes[cursor.next++ & (KeyDistribution.SAMPLES - 1)]]);
  }

  /** Overwrites one existing key, one committed write. */
  @Benchmark
  public String put(Cursor cursor) {
    String key = names[indexes[cursor.next++ & (KeyDistribution.SAMPLES - 1)]];
    target.put(key, value);
    return key;
  }

  private void requireValue(String key) {
    byte[] v = target.get(key);
    if (v == null || v.length != valueSize) {
      throw new IllegalStateException(storeType() + " read "
          + (v == null ? "nothing" : v.length + " bytes") + " for " + key + ", expected "
          + valueSize + " bytes");
    }
  }
}
