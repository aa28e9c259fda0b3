package dev.larder.recipe;

import dev.larder.Cache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counting semaphore shared by every thread and process that opens the cache directory: at most
 * {@code permits} holders at a time, diskcache's {@code BoundedSemaphore} with leases.
 *
 * <pre>{@code
 * Semaphore downloads = Semaphore.of(cache, "downloads", 4);
 * try (Permit p = downloads.acquire()) {
 *   fetch(url); // at most 4 at a time on this machine
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Thread-safe and process-safe.</b> The holders are one cache entry under the key {@code
 *       name}, changed only inside {@link Cache#transact}, so there are never more than {@code
 *       permits} holders with live leases. Every process must use the same {@code permits}; each
 *       caller enforces its own number.
 *   <li><b>Leases.</b> A permit holds for the lease length ({@link #withLease}, default 30 s)
 *       unless renewed ({@link Permit#renew()}). A permit whose holder crashed is reclaimed by the
 *       first acquisition after its lease ends; so is a permit held past its lease by a live
 *       holder, whose release then throws.
 *   <li><b>Bounded.</b> Only a permit acquired here can be released, once, so releases can never
 *       raise the count above {@code permits}. A permit belongs to its {@link Permit} object, not
 *       to a thread: any thread may release it.
 *   <li><b>Crashes.</b> A crash loses only the crashed holders' permits, until their leases end; a
 *       power loss under {@code Durability.PROCESS} may bring back permits released just before.
 *   <li><b>Fairness: none.</b> Waiters poll with capped exponential backoff.
 *   <li><b>Clock.</b> Leases are epoch milliseconds of the semaphore's clock ({@link #withClock},
 *       default the system clock), shared by all processes; wait timeouts use this process's
 *       monotonic clock.
 * </ul>
 *
 * <p>Immutable. Each operation is one read or one write transaction that rewrites the list of
 * holders: O(permits).
 */
public final class Semaphore {
  /** The most permits a semaphore may have: its holders are one record, rewritten per change. */
  public static final int MAX_PERMITS = 10_000;

  private static final String TYPE = "semaphore";
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final Cache<String, byte[]> cache;
  private final String name;
  private final int permits;
  private final Duration lease;
  private final InstantSource clock;
  private final Object monitor;

  private Semaphore(Cache<String, byte[]> cache, String name, int permits, Duration lease, InstantSource clock) {
    this.cache = Checks.cache(cache);
    this.name = Checks.name(name);
    if (permits < 1 || permits > MAX_PERMITS) {
      throw new IllegalArgumentException("permits must be between 1 and " + MAX_PERMITS + ", got " + permits);
    }
    this.permits = permits;
    this.lease = Checks.lease(lease);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.monitor = Waiter.monitor(cache, name);
  }

  /**
   * The semaphore named {@code name} in {@code cache} with {@code permits} permits, a 30-second
   * lease and the system clock.
   *
   * @throws IllegalArgumentException if {@code name} is empty or {@code permits} is not in 1..{@value #MAX_PERMITS}
   */
  public static Semaphore of(Cache<String, byte[]> cache, String name, int permits) {
    return new Semaphore(cache, name, permits, Lock.DEFAULT_LEASE, InstantSource.system());
  }

  /**
   * This semaphore with another lease length for new permits and renewals.
   *
   * @throws IllegalArgumentException if {@code lease} is under 1 ms or over 100 years
   */
  public Semaphore withLease(Duration lease) {
    return new Semaphore(cache, name, permits, lease, clock);
  }

  /** This semaphore judging leases with {@code clock}; every process must use the same clock. */
  public Semaphore withClock(InstantSource clock) {
    return new Semaphore(cache, name, permits, lease, clock);
  }

  /** The name, which is also the key in the cache. */
  public String name() {
    return name;
  }

  /** The number of permits. */
  public int permits() {
    return permits;
  }

  /** The lease length. */
  public Duration lease() {
    return lease;
  }

  /**
   * Acquires a permit, waiting as long as it takes.
   *
   * @throws dev.larder.LarderException if interrupted while waiting
   */
  public Permit acquire() {
    return acquireWithin(null);
  }

  /**
   * Acquires a permit, waiting up to {@code timeout}.
   *
   * @throws RecipeTimeoutException if no permit was acquired in time
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public Permit acquire(Duration timeout) {
    Permit p = acquireWithin(Checks.timeout(timeout));
    if (p == null) {
      throw new RecipeTimeoutException("a permit of semaphore '" + name + "'", timeout);
    }
    return p;
  }

  /** Acquires a permit if one is free now: one attempt. Returns {@code null} if none is. */
  public Permit tryAcquire() {
    return acquireWithin(Duration.ZERO);
  }

  /**
   * Acquires a permit, waiting up to {@code timeout}.
   *
   * @return the permit, or {@code null} if none was acquired in time
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public Permit tryAcquire(Duration timeout) {
    return acquireWithin(Checks.timeout(timeout));
  }

  /** The permits not held with a live lease now: one read. */
  public int availablePermits() {
    return Math.max(0, permits - live(read(cache.get(name)), clock.millis()).size());
  }

  private Permit acquireWithin(Duration timeout) {
    return Waiter.await(monitor, timeout, "a permit of semaphore '" + name + "'", this::tryOnce);
  }

  private Permit tryOnce(Waiter waiter) {
    long peekAt = clock.millis();
    List<Holder> seen = live(read(cache.get(name)), peekAt);
    if (seen.size() >= permits) {
      waiter.retryWithin(firstExpiry(seen) - peekAt);
      return null;
    }
    return cache.transact(tx -> {
      long now = clock.millis();
      List<Holder> holders = live(read(tx.get(name)), now);
      if (holders.size() >= permits) {
        waiter.retryWithin(firstExpiry(holders) - now);
        return null;
      }
      Holder mine = new Holder(Owner.current() + "/" + SEQUENCE.incrementAndGet(), Math.addExact(now, lease.toMillis()));
      holders.add(mine);
      tx.put(name, write(holders));
      return new Permit(this, mine.id(), Instant.ofEpochMilli(now), Instant.ofEpochMilli(mine.expiresAt()));
    });
  }

  void release(String id) {
    cache.transact(tx -> {
      List<Holder> holders = read(tx.get(name));
      if (!holders.removeIf(h -> h.id().equals(id))) {
        throw lost(id);
      }
      if (holders.isEmpty()) {
        tx.delete(name);
      } else {
        tx.put(name, write(holders));
      }
      return null;
    });
    Waiter.wake(monitor);
  }

  long renew(String id) {
    return cache.transact(tx -> {
      List<Holder> holders = read(tx.get(name));
      long expiresAt = Math.addExact(clock.millis(), lease.toMillis());
      boolean found = false;
      for (int i = 0; i < holders.size(); i++) {
        if (holders.get(i).id().equals(id)) {
          holders.set(i, new Holder(id, expiresAt));
          found = true;
        }
      }
      if (!found) {
        throw lost(id);
      }
      tx.put(name, write(holders));
      return expiresAt;
    });
  }

  /** Whether permit {@code id} is held with a live lease. */
  boolean holds(String id) {
    return live(read(cache.get(name)), clock.millis()).stream().anyMatch(h -> h.id().equals(id));
  }

  private IllegalStateException lost(String id) {
    return new IllegalStateException("permit " + id + " of semaphore '" + name
        + "' is not held: its lease ended and another acquisition reclaimed it");
  }

  // ---- the record: "semaphore <id>:<expiresAtMillis> ..." ----------------------------------------

  private record Holder(String id, long expiresAt) {}

  private static List<Holder> live(List<Holder> holders, long now) {
    holders.removeIf(h -> h.expiresAt() <= now);
    return holders;
  }

  private static long firstExpiry(List<Holder> holders) {
    return holders.stream().mapToLong(Holder::expiresAt).min().orElse(Long.MAX_VALUE);
  }

  private List<Holder> read(byte[] value) {
    List<Holder> holders = new ArrayList<>();
    if (value == null) {
      return holders;
    }
    String[] f = new String(value, StandardCharsets.UTF_8).split(" ");
    if (!f[0].equals(TYPE)) {
      throw Records.notA(TYPE, name, value);
    }
    try {
      for (int i = 1; i < f.length; i++) {
        int colon = f[i].lastIndexOf(':');
        holders.add(new Holder(f[i].substring(0, colon), Long.parseLong(f[i].substring(colon + 1))));
      }
    } catch (RuntimeException e) {
      throw Records.notA(TYPE, name, value);
    }
    return holders;
  }

  private static byte[] write(List<Holder> holders) {
    StringBuilder sb = new StringBuilder(TYPE);
    for (Holder h : holders) {
      sb.append(' ').append(h.id()).append(':').append(h.expiresAt());
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Semaphore[" + name + ", " + permits + " permits, lease " + lease + "]";
  }
}
