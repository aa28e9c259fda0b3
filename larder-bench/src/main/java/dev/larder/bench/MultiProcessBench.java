package dev.larder.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Several processes on one store: aggregate ops/s of {@code --processes} child JVMs that each run
 * gets (or puts) on the same store directory for the same wall-clock window. Not JMH: JMH forks one
 * JVM per trial and cannot share a store between forks.
 *
 * <p>The parent never opens the store (so it needs no store-specific JVM flags). It starts one child
 * that creates and preloads the store and exits, then {@code --processes} children at once. Each
 * opens the store, warms up until a common start instant, counts operations until a common end
 * instant, prints {@code ops N nanos M} and exits. The parent sums the children's ops/s and appends
 * one JSON line to {@code --out}. Only stores that allow several processes ({@link
 * StoreType#multiProcess()}) are accepted. Keys are uniform over the preloaded {@code "key:i"}.
 *
 * <pre>
 * java -cp larder-bench/target/benchmarks.jar dev.larder.bench.MultiProcessBench \
 *     --store LARDER --processes 2 --op get --value-size 100 --seconds 5 --out mp.jsonl
 * </pre>
 */
public final class MultiProcessBench {
  private static final int LOAD_BATCH = 1_000;

  private MultiProcessBench() {}

  /**
   * Runs the parent ({@code --store ...}) or a child ({@code child ...}, for internal use).
   *
   * @throws IllegalArgumentException on a bad argument
   * @throws IllegalStateException if a child fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("load")) {
      load(Path.of(args[1]), StoreType.valueOf(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]));
      return;
    }
    if (args.length > 0 && args[0].equals("child")) {
      child(Path.of(args[1]), StoreType.valueOf(args[2]), args[3], Integer.parseInt(args[4]),
          Integer.parseInt(args[5]), Long.parseLong(args[6]), Long.parseLong(args[7]),
          Long.parseLong(args[8]));
      return;
    }
    Map<String, String> opts = options(args);
    StoreType store = StoreType.valueOf(opts.getOrDefault("store", "LARDER"));
    int processes = Integer.parseInt(opts.getOrDefault("processes", "2"));
    String op = opts.getOrDefault("op", "get");
    int valueSize = Integer.parseInt(opts.getOrDefault("value-size", "100"));
    int entries = Integer.parseInt(opts.getOrDefault("entries", "100000"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "5"));
    String out = opts.get("out");
    if (!store.multiProcess()) {
      throw new IllegalArgumentException(store + " does not allow several processes on one store");
    }
    if (!op.equals("get") && !op.equals("put")) {
      throw new IllegalArgumentException("--op must be get or put, was " + op);
    }
    Path dir = BenchFiles.newDirectory("larder-mp-");
    try {
      run(store, List.of("load", dir.toString(), store.name(), String.valueOf(valueSize),
          String.valueOf(entries)));
      // Child JVMs take a second or two to start on a loaded machine; the window opens after that.
      long startAt = System.currentTimeMillis() + 4_000 + warmup * 1_000L;
      long endAt = startAt + seconds * 1_000L;
      List<Process> children = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        children.add(start(store, List.of("child", dir.toString(), store.name(), op,
            String.valueOf(valueSize), String.valueOf(entries), String.valueOf(startAt),
            String.valueOf(endAt), String.valueOf(0x5EEDL + i))));
      }
      double total = 0;
      List<String> each = new ArrayList<>();
      for (Process p : children) {
        String line = finish(p);
        String[] f = line.split(" ");
        double rate = Long.parseLong(f[1]) / (Long.parseLong(f[3]) / 1e9);
        total += rate;
        each.add(String.format(Locale.ROOT, "%.1f", rate));
      }
      String json = String.format(Locale.ROOT,
          "{\"store\":\"%s\",\"processes\":%d,\"op\":\"%s\",\"valueSize\":%d,\"entries\":%d,"
              + "\"seconds\":%d,\"opsPerSecond\":%.1f,\"perProcess\":[%s]}",
          store, processes, op, valueSize, entries, seconds, total, String.join(",", each));
      System.out.println(json);
      if (out != null) {
        Files.writeString(Path.of(out), json + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    } finally {
      GetPutBenchmark.deleteRecursively(dir);
    }
  }

  private static void load(Path dir, StoreType type, int valueSize, int entries) {
    SplittableRandom random = new SplittableRandom(0x10AD);
    try (BenchStore store = type.open(dir, entries, valueSize)) {
      Map<String, byte[]> batch = new LinkedHashMap<>();
      for (int i = 0; i < entries; i++) {
        byte[] v = new byte[valueSize];
        random.nextBytes(v);
        batch.put("key:" + i, v);
        if (batch.size() == LOAD_BATCH || i == entries - 1) {
          store.putAll(batch);
          batch.clear();
        }
      }
    }
  }

  private static void child(Path dir, StoreType type, String op, int valueSize, int entries,
      long startAt, long endAt, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] keys = new String[entries];
    for (int i = 0; i < entries; i++) {
      keys[i] = "key:" + i;
    }
    int[] indexes = KeyDistribution.UNIFORM.indexes(entries, random);
    byte[] value = new byte[valueSize];
    random.nextBytes(value);
    boolean put = op.equals("put");
    long sink = 0;
    try (BenchStore store = type.open(dir, entries, valueSize)) {
      int next = 0;
      while (System.currentTimeMillis() < startAt) {
        sink += step(store, put, keys[indexes[next++ & (KeyDistribution.SAMPLES - 1)]], value);
      }
      long ops = 0;
      long t0 = System.nanoTime();
      long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(Math.max(0, endAt - System.currentTimeMillis()));
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < 64; i++) {
          sink += step(store, put, keys[indexes[next++ & (KeyDistribution.SAMPLES - 1)]], value);
        }
        ops += 64;
      }
      long nanos = System.nanoTime() - t0;
      System.out.println("ops " + ops + " nanos " + nanos + " sink " + (sink & 1));
    }
  }

  private static int step(BenchStore store, boolean put, String key, byte[] value) {
    if (put) {
      store.put(key, value);
      return 1;
    }
    byte[] v = store.get(key);
    if (v == null) {
      throw new IllegalStateException("no value for " + key);
    }
    return v.length;
  }

  private static void run(StoreType store, List<String> args) throws IOException, InterruptedException {
    finish(start(store, args));
  }

  private static Process start(StoreType store, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(store.jvmFlags());
    String dir = System.getProperty("larder.bench.dir");
    if (dir != null) {
      cmd.add("-Dlarder.bench.dir=" + dir);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MultiProcessBench.class.getName());
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Waits for a child and returns the last line it printed; fails if it exited non-zero. */
  private static String finish(Process p) throws IOException, InterruptedException {
    String last = "";
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          last = line;
        }
      }
    }
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException("child " + p.pid() + " exited with " + code);
    }
    return last;
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    return opts;
  }
}
