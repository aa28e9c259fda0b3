package dev.larder.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Several stores measured in one JVM in alternating short slices, for ratios that hold up on a
 * loaded machine: each round runs every store for {@code --slice-ms} in turn (the order rotates
 * from round to round), so a burst of load from elsewhere hits the stores alike. Reports, per
 * store, the median ops/s over the measured rounds, and per peer the median of the per-round ratios
 * Larder / peer. The first {@code --warmup-rounds} rounds are not counted (JIT warmup).
 *
 * <p>All stores are open at once, each preloaded with {@code --entries} keys of {@code
 * --value-size} bytes; keys are uniform. The parent re-runs itself as a child JVM with the flags
 * the stores need (Chronicle Map's), so it can be started with a plain {@code java -cp}.
 *
 * <pre>
 * java -cp larder-bench/target/benchmarks.jar dev.larder.bench.InterleavedRun \
 *     --stores LARDER,CHRONICLE_MAP,SQLITE,LMDBJAVA --op get --rounds 40 --out interleaved.jsonl
 * </pre>
 */
public final class InterleavedRun {
  private InterleavedRun() {}

  /** Runs the parent, or the child when the first argument is {@code child}. */
  public static void main(String[] args) throws Exception {
    boolean child = args.length > 0 && args[0].equals("child");
    Map<String, String> opts =
        MultiProcessBench.options(child ? Arrays.copyOfRange(args, 1, args.length) : args);
    List<StoreType> stores = new ArrayList<>();
    for (String s : opts.getOrDefault("stores", "LARDER,CHRONICLE_MAP,SQLITE,LMDBJAVA").split(",")) {
      stores.add(StoreType.valueOf(s.trim()));
    }
    if (!child) {
      Set<String> flags = new LinkedHashSet<>();
      stores.forEach(s -> flags.addAll(s.jvmFlags()));
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      cmd.addAll(flags);
      String dir = System.getProperty("larder.bench.dir");
      if (dir != null) {
        cmd.add("-Dlarder.bench.dir=" + dir);
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
          InterleavedRun.class.getName(), "child"));
      cmd.addAll(Arrays.asList(args));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String last = "";
      for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .split("\n")) {
        if (!line.isBlank()) {
          last = line;
        }
      }
      if (p.waitFor() != 0) {
        throw new IllegalStateException("child exited with " + p.exitValue());
      }
      System.out.println(last);
      if (opts.get("out") != null) {
        Files.writeString(Path.of(opts.get("out")), last + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      return;
    }
    run(stores, opts);
  }

  private static void run(List<StoreType> types, Map<String, String> opts) throws IOException {
    String op = opts.getOrDefault("op", "get");
    int valueSize = Integer.parseInt(opts.getOrDefault("value-size", "100"));
    int entries = Integer.parseInt(opts.getOrDefault("entries", "100000"));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "40"));
    int warmupRounds = Integer.parseInt(opts.getOrDefault("warmup-rounds", "5"));
    long sliceNanos = Long.parseLong(opts.getOrDefault("slice-ms", "200")) * 1_000_000L;
    boolean put = op.equals("put");
    String[] keys = new String[entries];
    for (int i = 0; i < entries; i++) {
      keys[i] = "key:" + i;
    }
    int[] indexes = KeyDistribution.UNIFORM.indexes(entries, new SplittableRandom(11));
    byte[] value = new byte[valueSize];
    new SplittableRandom(12).nextBytes(value);
    List<Path> dirs = new ArrayList<>();
    List<BenchStore> stores = new ArrayList<>();
    try {
      for (StoreType t : types) {
        Path dir = BenchFiles.newDirectory("larder-interleaved-");
        dirs.add(dir);
        BenchStore s = t.open(dir, entries, valueSize);
        stores.add(s);
        SplittableRandom random = new SplittableRandom(13);
        Map<String, byte[]> batch = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
          byte[] v = new byte[valueSize];
          random.nextBytes(v);
          batch.put(keys[i], v);
          if (batch.size() == 1_000 || i == entries - 1) {
            s.putAll(batch);
            batch.clear();
          }
        }
      }
      int n = types.size();
      double[][] rates = new double[n][rounds - warmupRounds];
      int next = 0;
      long sink = 0;
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < n; k++) {
          int i = (round + k) % n;
          BenchStore s = stores.get(i);
          long ops = 0;
          long t0 = System.nanoTime();
          long end = t0 + sliceNanos;
          long now;
          do {
            for (int j = 0; j < 16; j++) {
              String key = keys[indexes[next++ & (KeyDistribution.SAMPLES - 1)]];
              if (put) {
                s.put(key, value);
              } else {
                sink += s.get(key).length;
              }
            }
            ops += 16;
          } while ((now = System.nanoTime()) < end);
          if (round >= warmupRounds) {
            rates[i][round - warmupRounds] = ops / ((now - t0) / 1e9);
          }
        }
      }
      StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
          "{\"op\":\"%s\",\"valueSize\":%d,\"entries\":%d,\"rounds\":%d,\"sliceMs\":%d,"
              + "\"sink\":%d,\"stores\":{",
          op, valueSize, entries, rounds - warmupRounds, sliceNanos / 1_000_000, sink & 1));
      int subject = types.indexOf(StoreType.LARDER);
      for (int i = 0; i < n; i++) {
        double[] ratios = new double[rates[i].length];
        for (int r = 0; r < ratios.length; r++) {
          ratios[r] = subject < 0 ? Double.NaN : rates[subject][r] / rates[i][r];
        }
        json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
            "\"%s\":{\"medianOpsPerSecond\":%.1f,\"p25\":%.1f,\"p75\":%.1f,"
                + "\"medianLarderRatio\":%.4f,\"ratioP25\":%.4f,\"ratioP75\":%.4f}",
            types.get(i), quantile(rates[i], 0.5), quantile(rates[i], 0.25),
            quantile(rates[i], 0.75), quantile(ratios, 0.5), quantile(ratios, 0.25),
            quantile(ratios, 0.75)));
      }
      System.out.println(json.append("}}"));
    } finally {
      for (BenchStore s : stores) {
        s.close();
      }
      for (Path d : dirs) {
        GetPutBenchmark.deleteRecursively(d);
      }
    }
  }

  private static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0 || Double.isNaN(sorted[0])) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }
}
