package dev.larder.bench;

import dev.larder.Cache;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an eviction policy costs a read, measured in alternating rounds: the same question as
 * {@link PolicyReadBenchmark}, for a machine that is not quiet. One JVM opens one cache per policy
 * (100,000 keys of 100 bytes each, limits never reached), then runs rounds; each round measures
 * every policy for the same time, in a new random order, so that a burst of load elsewhere hits all
 * policies alike. The result is each policy's median over the rounds and its ratio to {@code NONE}
 * computed round by round (the median of the per-round ratios).
 *
 * <p>Decision: JMH runs one parameter after the other, so on a loaded machine a slow minute lands
 * on one policy only; we saw ±50% errors that way. The price here is that all policies share one
 * JIT profile, which is fair since the policy is a run-time setting of the same code.
 *
 * <p>Run: {@code java -cp larder-bench/target/benchmarks.jar dev.larder.bench.PolicyReadRounds
 * [rounds] [seconds per measurement] [threads]} (defaults 15, 1, 1).
 */
public final class PolicyReadRounds {
  static final int ENTRIES = 100_000;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Path base = Files.createTempDirectory(Path.of(System.getProperty("larder.bench.dir", System.getProperty("java.io.tmpdir"))),
        "policy-rounds");
    EvictionPolicy[] policies = EvictionPolicy.values();
    Map<EvictionPolicy, Cache<String, byte[]>> caches = new EnumMap<>(EvictionPolicy.class);
    String[] keys = new String[ENTRIES];
    for (int i = 0; i < ENTRIES; i++) {
      keys[i] = "key:" + i;
    }
    try {
      for (EvictionPolicy p : policies) {
        Cache<String, byte[]> cache = Larder.builder(base.resolve(p.name())).evictionPolicy(p).maxSize(8L << 30).open();
        Map<String, byte[]> batch = new LinkedHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
          batch.put(keys[i], new byte[100]);
          if (batch.size() == 1000) {
            cache.putAll(batch);
            batch.clear();
          }
        }
        caches.put(p, cache);
      }
      // Warm-up: two rounds, not recorded.
      Random order = new Random(42);
      Map<EvictionPolicy, List<Double>> results = new EnumMap<>(EvictionPolicy.class);
      Map<EvictionPolicy, List<Double>> ratios = new EnumMap<>(EvictionPolicy.class);
      for (int round = -2; round < rounds; round++) {
        List<EvictionPolicy> shuffled = new ArrayList<>(Arrays.asList(policies));
        Collections.shuffle(shuffled, order);
        Map<EvictionPolicy, Double> thisRound = new EnumMap<>(EvictionPolicy.class);
        for (EvictionPolicy p : shuffled) {
          thisRound.put(p, measure(caches.get(p), keys, seconds, threads));
        }
        if (round >= 0) {
          for (EvictionPolicy p : policies) {
            results.computeIfAbsent(p, x -> new ArrayList<>()).add(thisRound.get(p));
            ratios.computeIfAbsent(p, x -> new ArrayList<>()).add(thisRound.get(p) / thisRound.get(EvictionPolicy.NONE));
          }
          System.err.printf(Locale.ROOT, "round %d: %s%n", round, thisRound);
        }
      }
      System.out.printf(Locale.ROOT, "| policy | get ops/s, median of %d rounds (%d thread%s) | ratio to NONE (median of per-round ratios) | min ratio | max ratio |%n",
          rounds, threads, threads == 1 ? "" : "s");
      System.out.println("|---|---:|---:|---:|---:|");
      for (EvictionPolicy p : policies) {
        List<Double> r = ratios.get(p);
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %.2f |%n", p, median(results.get(p)), median(r),
            Collections.min(r), Collections.max(r));
      }
    } finally {
      for (Cache<String, byte[]> c : caches.values()) {
        c.close();
      }
      GetPutBenchmark.deleteRecursively(base);
    }
  }

  private static double measure(Cache<String, byte[]> cache, String[] keys, double seconds, int threads)
      throws InterruptedException {
    LongAdder ops = new LongAdder();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long seed = t * 7919L + System.nanoTime();
      Thread w = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        long n = 0;
        long sink = 0;
        while ((n & 255) != 0 || System.nanoTime() < end) {
          byte[] v = cache.get(keys[random.nextInt(ENTRIES)]);
          sink += v.length;
          n++;
        }
        ops.add(n);
        if (sink == 42) {
          System.out.print("");
        }
      });
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    return ops.sum() / ((System.nanoTime() - start) / 1e9);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
