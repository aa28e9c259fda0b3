package dev.larder.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Get latency and heap against the number of keys: loads {@code --keys} keys of 100 B into a new
 * store with {@code putAll} in batches of 10,000, then times {@code --samples} gets of uniformly
 * random keys one by one (after as many warmup gets) and reports p50, p99 and the mean, and the heap
 * used after GC with the empty store open and again with the full store open. Run it in a JVM of its
 * own for each size (the script does), so that the heap holds nothing but the store and this
 * program.
 *
 * <pre>
 * java -cp larder-bench/target/benchmarks.jar dev.larder.bench.ScaleRun \
 *     --store LARDER --keys 1000000 --out scale.jsonl
 * </pre>
 *
 * <p>Not JMH: JMH would hold the trial's state in the heap it measures, and its sample mode has no
 * heap figure. The timer is {@code System.nanoTime()} around each get (about 20-30 ns of its own).
 */
public final class ScaleRun {
  private static final int VALUE_SIZE = 100;
  private static final int BATCH = 10_000;

  private ScaleRun() {}

  /** Runs one size for one store and appends a JSON line to {@code --out}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = MultiProcessBench.options(args);
    StoreType type = StoreType.valueOf(opts.getOrDefault("store", "LARDER"));
    int keys = Integer.parseInt(opts.getOrDefault("keys", "10000"));
    int samples = Integer.parseInt(opts.getOrDefault("samples", "200000"));
    String out = opts.get("out");
    Path dir = BenchFiles.newDirectory("larder-scale-");
    try {
      String json;
      try (BenchStore store = type.open(dir, keys, VALUE_SIZE)) {
        long heapEmpty = heapAfterGc();
        long t0 = System.nanoTime();
        load(store, keys);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        long[] nanos = timeGets(store, keys, samples);
        long heapFull = heapAfterGc();
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(Double.NaN);
        json = String.format(Locale.ROOT,
            "{\"store\":\"%s\",\"keys\":%d,\"valueSize\":%d,\"samples\":%d,"
                + "\"getP50Us\":%.3f,\"getP99Us\":%.3f,\"getMeanUs\":%.3f,"
                + "\"loadSeconds\":%.2f,\"loadPerSecond\":%.0f,"
                + "\"heapEmptyBytes\":%d,\"heapFullBytes\":%d,\"heapDeltaBytes\":%d,"
                + "\"diskBytes\":%d}",
            type, keys, VALUE_SIZE, samples, percentile(nanos, 0.50) / 1e3,
            percentile(nanos, 0.99) / 1e3, mean / 1e3, loadSeconds, keys / loadSeconds,
            heapEmpty, heapFull, heapFull - heapEmpty, diskBytes(dir));
      }
      System.out.println(json);
      if (out != null) {
        Files.writeString(Path.of(out), json + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    } finally {
      GetPutBenchmark.deleteRecursively(dir);
    }
  }

  private static void load(BenchStore store, int keys) {
    byte[] value = new byte[VALUE_SIZE];
    new SplittableRandom(7).nextBytes(value);
    Map<String, byte[]> batch = new LinkedHashMap<>(2 * BATCH);
    for (int i = 0; i < keys; i++) {
      batch.put("key:" + i, value);
      if (batch.size() == BATCH || i == keys - 1) {
        store.putAll(batch);
        batch.clear();
      }
    }
  }

  /** Warms up with {@code samples} gets, then returns the time of each of {@code samples} more. */
  private static long[] timeGets(BenchStore store, int keys, int samples) {
    SplittableRandom random = new SplittableRandom(42);
    String[] names = new String[samples];
    long[] nanos = new long[samples];
    long sink = 0;
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < samples; i++) {
        names[i] = "key:" + random.nextInt(keys);
      }
      for (int i = 0; i < samples; i++) {
        long t = System.nanoTime();
        byte[] v = store.get(names[i]);
        nanos[i] = System.nanoTime() - t;
        if (v == null) {
          throw new IllegalStateException("no value for " + names[i]);
        }
        sink += v.length;
      }
    }
    if (sink != 2L * samples * VALUE_SIZE) {
      throw new IllegalStateException("read " + sink + " bytes, expected " + 2L * samples * VALUE_SIZE);
    }
    return nanos;
  }

  private static double percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** The bytes the store's files take on disk ({@code du}), not the length of a sparse map. */
  private static long diskBytes(Path dir) throws Exception {
    Process du = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
    String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (du.waitFor() != 0) {
      return -1;
    }
    return Long.parseLong(out.split("\\s+")[0]) * 1024;
  }
}
