package dev.larder.bench;

import dev.larder.Durability;
import dev.larder.collect.FanoutCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Write throughput of a {@link FanoutCache} with several processes writing at once, for several
 * shard counts: a harness program rather than JMH, because JMH measures threads of one JVM and
 * the point here is LMDB's one-writer lock shared across processes.
 *
 * <p>Each run makes a new fanout directory with {@code s} shards and starts {@code processes}
 * child JVMs on it. Each child puts random keys ({@code "key:" + uniform(keys)}, values of {@code
 * valueSize} random bytes, one write transaction per put, default durability) as fast as it can:
 * first to warm up until a common start time, then counting puts for {@code seconds}. The run's
 * throughput is the children's total over {@code seconds}. Rounds repeat every shard count, and
 * each round starts at a different shard count (1,2,8 then 2,8,1 then 8,1,2...), so that noise
 * from other work on the machine falls on every count alike. The summary gives each count's
 * median over rounds and its ratio to the first count's median.
 *
 * <pre>
 * mvn -q -pl larder-bench -am package -DskipTests
 * java -cp larder-bench/target/benchmarks.jar dev.larder.bench.FanoutWriteBenchmark \
 *     --rounds 5 --seconds 5 --shards 1,2,8 --processes 2
 * </pre>
 *
 * Options: {@code --rounds --seconds --warmup --shards --processes --keys --valueSize --durability}
 * ({@code PROCESS} or {@code SYNC}: fsync at every commit, under the write lock) and {@code --dir} (the
 * directory for the caches; default {@code java.io.tmpdir}; each run's directory is deleted after
 * it).
 */
public final class FanoutWriteBenchmark {
  private FanoutWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>(Map.of("rounds", "5", "seconds", "5", "warmup", "3",
        "shards", "1,2,8", "processes", "2", "keys", "100000", "valueSize", "100",
        "durability", "PROCESS", "dir", System.getProperty("java.io.tmpdir")));
    for (int i = 0; i + 1 < args.length; i += 2) {
      String k = args[i].replaceFirst("^--", "");
      if (!o.containsKey(k)) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet());
      }
      o.put(k, args[i + 1]);
    }
    if (args.length > 0 && args[0].equals("writer")) {
      throw new IllegalArgumentException("use FanoutWriteBenchmark$Writer");
    }
    int rounds = Integer.parseInt(o.get("rounds"));
    int seconds = Integer.parseInt(o.get("seconds"));
    int warmup = Integer.parseInt(o.get("warmup"));
    int processes = Integer.parseInt(o.get("processes"));
    int[] counts = Arrays.stream(o.get("shards").split(",")).mapToInt(Integer::parseInt).toArray();
    Path base = Files.createTempDirectory(Path.of(o.get("dir")), "fanout-bench");
    System.out.println("# " + o + ", " + Runtime.getRuntime().availableProcessors() + " cpus, java "
        + System.getProperty("java.version"));
    Map<Integer, List<Double>> results = new LinkedHashMap<>();
    for (int c : counts) {
      results.put(c, new ArrayList<>());
    }
    try {
      for (int r = 0; r < rounds; r++) {
        StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
        for (int j = 0; j < counts.length; j++) {
          int shards = counts[(r + j) % counts.length];
          double opsPerSec = run(base.resolve("r" + r + "-s" + shards), shards, processes, seconds, warmup,
              o.get("keys"), o.get("valueSize"), o.get("durability"), 1000L * r + shards);
          results.get(shards).add(opsPerSec);
          line.append(String.format("  %d shards %,.0f puts/s", shards, opsPerSec));
        }
        System.out.println(line);
      }
    } finally {
      deleteTree(base);
    }
    System.out.println();
    System.out.println("| shards | median puts/s (" + processes + " processes) | ratio to " + counts[0]
        + " shard(s) | rounds |");
    System.out.println("|---|---|---|---|");
    double first = median(results.get(counts[0]));
    for (int c : counts) {
      double m = median(results.get(c));
      StringBuilder all = new StringBuilder();
      for (double v : results.get(c)) {
        all.append(all.length() == 0 ? "" : ", ").append(String.format("%,.0f", v));
      }
      System.out.printf("| %d | %,.0f | %.2fx | %s |%n", c, m, m / first, all);
    }
  }

  private static double run(Path dir, int shards, int processes, int seconds, int warmup, String keys,
      String valueSize, String durability, long seed) throws Exception {
    try (FanoutCache<String, byte[]> create = FanoutCache.builder(dir).shards(shards).open()) {
      create.size(); // creates the shards before the writers race to
    }
    long startAt = System.currentTimeMillis() + 2000L + warmup * 1000L;
    List<Process> children = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      Path out = dir.resolve("writer-" + p + ".out");
      outs.add(out);
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Writer.class.getName(), dir.toString(),
          Long.toString(startAt), Integer.toString(seconds), keys, valueSize, Long.toString(seed * 31 + p),
          durability)
          .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
      children.add(pb.start());
    }
    long total = 0;
    StringBuilder each = new StringBuilder();
    for (int p = 0; p < processes; p++) {
      int exit = children.get(p).waitFor();
      String text = Files.readString(outs.get(p), StandardCharsets.UTF_8).trim();
      if (exit != 0 || !text.startsWith("OPS ")) {
        throw new IllegalStateException("writer " + p + " failed (exit " + exit + "): " + text);
      }
      long ops = Long.parseLong(text.substring(4).trim());
      total += ops;
      each.append(each.length() == 0 ? "" : "+").append(ops / seconds);
    }
    if (Boolean.getBoolean("larder.bench.verbose")) {
      System.out.println("  " + shards + " shards: writers " + each + " puts/s");
    }
    deleteTree(dir);
    return total / (double) seconds;
  }

  private static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.delete(x);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /**
   * One writer process: {@code dir startAtMillis seconds keys valueSize seed durability}. Puts until {@code
   * startAtMillis} to warm up, then counts puts for {@code seconds} and prints {@code OPS n}.
   */
  public static final class Writer {
    private Writer() {}

    public static void main(String[] args) {
      Path dir = Path.of(args[0]);
      long startAt = Long.parseLong(args[1]);
      long end = startAt + 1000L * Integer.parseInt(args[2]);
      int keys = Integer.parseInt(args[3]);
      int valueSize = Integer.parseInt(args[4]);
      SplittableRandom random = new SplittableRandom(Long.parseLong(args[5]));
      byte[][] values = new byte[64][valueSize];
      for (byte[] v : values) {
        random.nextBytes(v);
      }
      long ops = 0;
      try (FanoutCache<String, byte[]> cache =
          FanoutCache.builder(dir).durability(Durability.valueOf(args[6])).open()) {
        long now;
        while ((now = System.currentTimeMillis()) < end) {
          cache.put("key:" + random.nextInt(keys), values[random.nextInt(values.length)]);
          if (now >= startAt) {
            ops++;
          }
        }
      }
      System.out.println("OPS " + ops);
    }
  }
}
