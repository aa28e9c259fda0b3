package dev.larder.process;

import dev.larder.Cache;
import dev.larder.CasResult;
import dev.larder.Entry;
import dev.larder.Larder;
import dev.larder.Put;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A child JVM for {@link MultiProcessTest}: several threads doing random operations on shared keys
 * for a bounded time, verifying every value they read, and counting the increments they made to
 * the shared counters. Prints {@code INCR <counter> <n>} per counter, {@code BAD <reason>} for any
 * integrity violation, and {@code DONE} at the end.
 *
 * <p>Arguments: directory, seconds, threads, seed.
 */
public final class StressChild {
  static final int KEYS = 24;
  static final int COUNTERS = 4;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long millis = (long) (Double.parseDouble(args[1]) * 1000);
    int threads = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    AtomicLongArray increments = new AtomicLongArray(COUNTERS + 1);
    List<String> bad = java.util.Collections.synchronizedList(new ArrayList<>());
    try (Cache<String, byte[]> cache = Larder.builder(dir).blobThreshold(1024).open()) {
      long deadline = System.currentTimeMillis() + millis;
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Random r = new Random(seed * 1000 + t);
        Thread th = new Thread(() -> run(cache, r, deadline, increments, bad), "stress-" + t);
        ts.add(th);
        th.start();
      }
      for (Thread th : ts) {
        th.join();
      }
    }
    for (int c = 0; c < COUNTERS; c++) {
      System.out.println("INCR counter:" + c + " " + increments.get(c));
    }
    System.out.println("INCR counter:tx " + increments.get(COUNTERS));
    for (String b : bad) {
      System.out.println("BAD " + b);
    }
    System.out.println("DONE");
    System.out.flush();
  }

  private static void run(Cache<String, byte[]> cache, Random r, long deadline, AtomicLongArray increments,
      List<String> bad) {
    try {
      while (System.currentTimeMillis() < deadline) {
        String key = "shared:" + r.nextInt(KEYS);
        int op = r.nextInt(100);
        if (op < 35) {
          byte[] v = cache.get(key);
          if (v != null) {
            String why = Values.verify(key, v);
            if (why != null) {
              bad.add("get " + key + ": " + why);
            }
          }
        } else if (op < 55) {
          cache.put(key, Values.make(key, r, r.nextInt(2500)),
              r.nextBoolean() ? Put.DEFAULT : Put.ttl(Duration.ofMinutes(5)).withTags("t" + r.nextInt(3)));
        } else if (op < 62) {
          cache.delete(key);
        } else if (op < 80) {
          int c = r.nextInt(COUNTERS);
          cache.incr("counter:" + c, 1);
          increments.incrementAndGet(c);
        } else if (op < 85) {
          cache.transact(tx -> {
            byte[] v = tx.get(key);
            if (v != null && Values.verify(key, v) != null) {
              bad.add("transact get " + key + ": " + Values.verify(key, v));
            }
            tx.put(key, Values.make(key, r, r.nextInt(200)));
            tx.incr("counter:tx", 1);
            return null;
          });
          increments.incrementAndGet(COUNTERS);
        } else if (op < 90) {
          Entry<String, byte[]> e = cache.getEntry(key);
          if (e != null) {
            CasResult res = cache.cas(key, e.version(), Values.make(key, r, r.nextInt(300)));
            Entry<String, byte[]> after = cache.getEntry(key);
            if (res == CasResult.NOT_FOUND && after != null && after.version() == e.version()) {
              bad.add("cas NOT_FOUND on a live entry " + key);
            }
          } else {
            cache.add(key, Values.make(key, r, r.nextInt(300)));
          }
        } else if (op < 95) {
          Map<String, byte[]> all = cache.getAll(List.of(key, "shared:" + r.nextInt(KEYS)));
          for (Map.Entry<String, byte[]> e : all.entrySet()) {
            String why = Values.verify(e.getKey(), e.getValue());
            if (why != null) {
              bad.add("getAll " + e.getKey() + ": " + why);
            }
          }
        } else {
          byte[] v = cache.pop(key);
          if (v != null && Values.verify(key, v) != null) {
            bad.add("pop " + key + ": " + Values.verify(key, v));
          }
        }
      }
    } catch (RuntimeException e) {
      bad.add("exception " + e.toString().replace('\n', ' '));
      e.printStackTrace();
    }
  }

  static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }
}
