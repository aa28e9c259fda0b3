package dev.larder.recipe;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.larder.Cache;
import dev.larder.Larder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM for {@link RecipeProcessTest}. Every mode opens the cache in DIR, prints {@code
 * READY}, waits until the key {@code go} exists (the parent writes it once every child is ready,
 * so that all contend at once; {@code hold} and {@code rhold} do not wait), does its work and
 * prints {@code DONE}; a failed check prints {@code FAIL <why>} and exits with 1. Modes (after
 * {@code MODE DIR}):
 *
 * <ul>
 *   <li>{@code counter THREADS ROUNDS}: each thread, ROUNDS times, under Lock {@code counter-lock}
 *       reads {@code counter}, and writes it back plus one (get + put, not incr).
 *   <li>{@code hold LEASE_MILLIS}: takes Lock {@code crash-lock}, then both permits of Semaphore
 *       {@code crash-sem}, prints {@code PERMITS <expiresAtMillis> <expiresAtMillis>} and {@code
 *       HELD <token> <acquiredAtMillis> <expiresAtMillis>}, then sleeps until killed.
 *   <li>{@code reentrant THREADS ROUNDS}: like counter, under ReentrantLock {@code rlock} entered
 *       twice, checking holdCount 2 and, through incr of {@code rinside}, that it is alone.
 *   <li>{@code rhold}: enters ReentrantLock {@code rlock-held} twice, prints {@code HELD <owner>},
 *       sleeps until killed.
 *   <li>{@code semaphore ROUNDS}: ROUNDS times, takes a permit of Semaphore {@code sem} (2 permits),
 *       prints {@code HOLDERS <incr of sem.current>}, holds until another holder shows or 300 ms
 *       pass and 30 ms more, decrements, releases.
 *   <li>{@code rate COUNT RATE BURST}: COUNT times acquires from RateLimiter {@code rate}, printing
 *       {@code GRANT <nowNanos> <tat>} for each grant.
 *   <li>{@code barrier THREADS ROUNDS}: each thread, ROUNDS times, runs under Barrier over Lock
 *       {@code barrier-lock}: {@code INSIDE <incr of inside>}, a 1 ms sleep, decrement, incr {@code runs}.
 *   <li>{@code average THREADS FROM TO}: each thread adds FROM..TO to Averager {@code avg}.
 * </ul>
 */
public final class RecipeChild {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    try (Cache<String, byte[]> cache = Larder.builder(Path.of(args[1])).open()) {
      System.out.println("READY");
      System.out.flush();
      if (!mode.endsWith("hold")) {
        while (!cache.containsKey("go")) {
          Thread.sleep(1);
        }
      }
      switch (mode) {
        case "counter" -> threads(Integer.parseInt(args[2]), () -> counter(cache, Integer.parseInt(args[3])));
        case "hold" -> hold(cache, Long.parseLong(args[2]));
        case "reentrant" -> threads(Integer.parseInt(args[2]), () -> reentrant(cache, Integer.parseInt(args[3])));
        case "rhold" -> rhold(cache);
        case "semaphore" -> semaphore(cache, Integer.parseInt(args[2]));
        case "rate" -> rate(cache, Integer.parseInt(args[2]), Double.parseDouble(args[3]), Integer.parseInt(args[4]));
        case "barrier" -> threads(Integer.parseInt(args[2]), () -> barrier(cache, Integer.parseInt(args[3])));
        case "average" -> threads(Integer.parseInt(args[2]),
            () -> average(cache, Integer.parseInt(args[3]), Integer.parseInt(args[4])));
        default -> throw new IllegalArgumentException("mode " + mode);
      }
    }
    System.out.println("DONE");
  }

  private static void threads(int n, Runnable body) throws InterruptedException {
    List<Thread> ts = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(() -> {
        try {
          body.run();
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      ts.add(t);
      t.start();
    }
    for (Thread t : ts) {
      t.join();
    }
    if (!failures.isEmpty()) {
      failures.get(0).printStackTrace();
      fail(failures.get(0).toString());
    }
  }

  private static void fail(String why) {
    System.out.println("FAIL " + why);
    System.out.flush();
    System.exit(1);
  }

  private static long read(Cache<String, byte[]> cache, String key) {
    byte[] v = cache.get(key);
    return v == null ? 0 : Long.parseLong(new String(v, UTF_8));
  }

  @SuppressWarnings("try") // the resource is the lock hold itself
  private static void counter(Cache<String, byte[]> cache, int rounds) {
    Lock lock = Lock.of(cache, "counter-lock");
    for (int i = 0; i < rounds; i++) {
      try (LockLease held = lock.lock()) {
        cache.put("counter", Long.toString(read(cache, "counter") + 1).getBytes(UTF_8));
      }
    }
  }

  private static void hold(Cache<String, byte[]> cache, long leaseMillis) throws InterruptedException {
    LockLease held = Lock.of(cache, "crash-lock").withLease(Duration.ofMillis(leaseMillis)).lock();
    // After the lock and longer, so the permits outlive it: the parent tries the semaphore while they live.
    Semaphore sem = Semaphore.of(cache, "crash-sem", 2).withLease(Duration.ofMillis(leaseMillis + 1000));
    Permit first = sem.acquire();
    Permit second = sem.acquire();
    System.out.println("PERMITS " + first.expiresAt().toEpochMilli() + " " + second.expiresAt().toEpochMilli());
    System.out.println("HELD " + held.token() + " " + held.acquiredAt().toEpochMilli() + " "
        + held.expiresAt().toEpochMilli());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void reentrant(Cache<String, byte[]> cache, int rounds) {
    ReentrantLock lock = ReentrantLock.of(cache, "rlock");
    for (int i = 0; i < rounds; i++) {
      try (LockLease outer = lock.lock(); LockLease inner = lock.lock()) {
        if (lock.holdCount() != 2 || inner.token() != outer.token()) {
          fail("holdCount " + lock.holdCount() + ", tokens " + outer.token() + "/" + inner.token());
        }
        long inside = cache.incr("rinside", 1);
        if (inside != 1) {
          fail("rinside " + inside);
        }
        cache.put("rcounter", Long.toString(read(cache, "rcounter") + 1).getBytes(UTF_8));
        cache.decr("rinside", 1);
      }
    }
  }

  private static void rhold(Cache<String, byte[]> cache) throws InterruptedException {
    ReentrantLock lock = ReentrantLock.of(cache, "rlock-held");
    LockLease a = lock.lock();
    lock.lock();
    System.out.println("HELD " + a.owner() + " " + lock.holdCount());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  @SuppressWarnings("try") // the resource is the lock hold itself
  private static void semaphore(Cache<String, byte[]> cache, int rounds) throws InterruptedException {
    Semaphore sem = Semaphore.of(cache, "sem", 2);
    for (int i = 0; i < rounds; i++) {
      try (Permit p = sem.acquire()) {
        long holders = cache.incr("sem.current", 1);
        System.out.println("HOLDERS " + holders);
        long until = System.nanoTime() + 300_000_000L;
        while (read(cache, "sem.current") < 2 && System.nanoTime() < until) {
          Thread.sleep(1);
        }
        Thread.sleep(30); // time for a third holder to get in, were the semaphore to let one
        cache.decr("sem.current", 1);
      }
    }
  }

  private static void rate(Cache<String, byte[]> cache, int count, double rate, int burst) {
    RateLimiter limiter = RateLimiter.of(cache, "rate", rate, burst);
    for (int i = 0; i < count; i++) {
      RateLimiter.Grant g = limiter.acquireGrant(null);
      System.out.println("GRANT " + g.nowNanos() + " " + g.tat());
    }
  }

  private static void barrier(Cache<String, byte[]> cache, int rounds) {
    Barrier barrier = Barrier.of(Lock.of(cache, "barrier-lock"));
    for (int i = 0; i < rounds; i++) {
      barrier.run(() -> {
        System.out.println("INSIDE " + cache.incr("inside", 1));
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        cache.decr("inside", 1);
        cache.incr("runs", 1);
      });
    }
  }

  private static void average(Cache<String, byte[]> cache, int from, int to) {
    Averager avg = Averager.of(cache, "avg");
    for (int v = from; v <= to; v++) {
      avg.add(v);
    }
  }
}
