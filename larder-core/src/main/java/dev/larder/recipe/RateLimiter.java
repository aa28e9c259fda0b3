package dev.larder.recipe;

import dev.larder.Cache;
import dev.larder.LarderException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket shared by every thread and process that opens the cache directory: {@code rate}
 * permits per second on average, up to {@code burst} at once after a quiet spell. diskcache's
 * {@code throttle}, shared by processes.
 *
 * <pre>{@code
 * RateLimiter api = RateLimiter.of(cache, "github-api", 10.0, 20); // 10/s, bursts of 20
 * api.acquire();
 * callGithub();
 * }</pre>
 *
 * <h2>Guarantee</h2>
 *
 * Over any interval {@code [s, e]} of the limiter's clock, the permits granted by every thread
 * and process together number at most {@code burst + rate * (e - s)}. The bound is exact, not
 * statistical: the state is one integer, changed only inside {@link Cache#transact}, and the
 * emission interval is rounded up to whole nanoseconds, so rounding only ever grants less.
 *
 * <h2>Implementation notes</h2>
 *
 * The bucket is kept as GCRA, the generic cell rate algorithm of ATM networks (ITU-T I.371), which
 * is a token bucket stored as one number: the theoretical arrival time {@code tat}, the instant at
 * which the bucket would be full again. With emission interval {@code T = ceil(1e9 / rate)} ns, a
 * request at {@code now} is granted iff {@code max(tat, now) + T - now <= burst * T}, and then
 * {@code tat = max(tat, now) + T}; otherwise it may retry at {@code max(tat, now) + T - burst * T}.
 * Induction over grants gives the bound above. Rejected: storing a fractional token count and a
 * refill time (diskcache's {@code throttle}); floating-point refills drift and can over-grant by
 * rounding.
 *
 * <ul>
 *   <li><b>Thread-safe and process-safe.</b> Every process must use the same rate and burst.
 *   <li><b>Crashes.</b> A permit is consumed when granted; a crash loses nothing else. A power
 *       loss under {@code Durability.PROCESS} may forget recent grants, allowing at most one more
 *       burst.
 *   <li><b>Fairness: none.</b> A waiter sleeps until the next permit is due (at most {@value
 *       #MAX_SLEEP_MILLIS} ms at a time) and tries again; whoever comes first wins.
 *   <li><b>Clock.</b> Nanoseconds since the epoch of the limiter's clock ({@link #withClock},
 *       default the system clock), shared by every process on the machine; if the wall clock steps
 *       back, no permit is granted until it has caught up with the last grant's schedule. Wait
 *       timeouts use this process's monotonic clock.
 * </ul>
 *
 * <p>Immutable. A grant is one write transaction; a refusal is usually one read.
 */
public final class RateLimiter {
  static final long MAX_SLEEP_MILLIS = 100;
  private static final String TYPE = "ratelimit";
  private static final long MAX_TOLERANCE_NANOS = Duration.ofDays(365L * 100).toNanos();

  private final Cache<String, byte[]> cache;
  private final String name;
  private final double rate;
  private final int burst;
  private final InstantSource clock;
  private final long intervalNanos;
  private final long toleranceNanos;

  private RateLimiter(Cache<String, byte[]> cache, String name, double rate, int burst, InstantSource clock) {
    this.cache = Checks.cache(cache);
    this.name = Checks.name(name);
    if (!(rate > 0) || !(rate <= 1e9)) {
      throw new IllegalArgumentException("rate must be a number of permits per second in (0, 1e9], got " + rate);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    this.rate = rate;
    this.burst = burst;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.intervalNanos = (long) Math.ceil(1e9 / rate);
    if ((double) intervalNanos * burst > MAX_TOLERANCE_NANOS) {
      throw new IllegalArgumentException("burst / rate must be at most 100 years, got " + burst + " / " + rate);
    }
    this.toleranceNanos = intervalNanos * burst;
  }

  /**
   * The limiter named {@code name} in {@code cache}: {@code permitsPerSecond} on average, bursts
   * of up to {@code burst}, the system clock.
   *
   * @throws IllegalArgumentException if {@code name} is empty, {@code permitsPerSecond} is not in
   *     (0, 1e9] (NaN included), {@code burst} is below 1, or {@code burst / permitsPerSecond} is
   *     over 100 years
   */
  public static RateLimiter of(Cache<String, byte[]> cache, String name, double permitsPerSecond, int burst) {
    return new RateLimiter(cache, name, permitsPerSecond, burst, InstantSource.system());
  }

  /** This limiter on {@code clock}; every process must use the same clock. */
  public RateLimiter withClock(InstantSource clock) {
    return new RateLimiter(cache, name, rate, burst, clock);
  }

  /** The name, which is also the key in the cache. */
  public String name() {
    return name;
  }

  /** The average rate, in permits per second. */
  public double rate() {
    return rate;
  }

  /** The most permits granted at once. */
  public int burst() {
    return burst;
  }

  /** The time between permits at the average rate, rounded up to whole nanoseconds. */
  public Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  /**
   * Takes a permit if one is available now.
   *
   * @return whether a permit was granted
   */
  public boolean tryAcquire() {
    return attempt().granted();
  }

  /**
   * Takes a permit, waiting up to {@code timeout} for one.
   *
   * @return whether a permit was granted
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws LarderException if interrupted while waiting
   */
  public boolean tryAcquire(Duration timeout) {
    return acquireWithin(Checks.timeout(timeout));
  }

  /**
   * Takes a permit, waiting as long as it takes.
   *
   * @throws LarderException if interrupted while waiting
   */
  public void acquire() {
    acquireWithin(null);
  }

  /**
   * Takes a permit, waiting up to {@code timeout} for one.
   *
   * @throws RecipeTimeoutException if no permit was granted in time
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public void acquire(Duration timeout) {
    if (!acquireWithin(Checks.timeout(timeout))) {
      throw new RecipeTimeoutException("a permit of rate limiter '" + name + "'", timeout);
    }
  }

  private boolean acquireWithin(Duration timeout) {
    return acquireGrant(timeout) != null;
  }

  /** Waits up to {@code timeout} ({@code null}: forever) for a permit; the grant, or {@code null}. */
  Grant acquireGrant(Duration timeout) {
    long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
    while (true) {
      Grant g = attempt();
      if (g.granted()) {
        return g;
      }
      long sleep = Math.min(g.waitNanos(), TimeUnit.MILLISECONDS.toNanos(MAX_SLEEP_MILLIS));
      if (timeout != null) { // deadline - now overflows without one: nanoTime may be negative
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        sleep = Math.min(sleep, left);
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.max(sleep, 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LarderException("interrupted while waiting for a permit of rate limiter '" + name + "'", e);
      }
    }
  }

  /**
   * One attempt, for tests too: a grant carries the limiter-clock time it was granted at and the
   * new {@code tat}, which grows with every grant in the order the grants committed.
   */
  record Grant(boolean granted, long nowNanos, long tat, long waitNanos) {}

  Grant attempt() {
    long peekAt = nanos();
    byte[] seen = cache.get(name);
    if (seen != null) {
      long wait = Math.max(read(seen), peekAt) + intervalNanos - toleranceNanos - peekAt;
      if (wait > 0) {
        return new Grant(false, peekAt, 0, wait);
      }
    }
    return cache.transact(tx -> {
      long now = nanos();
      byte[] value = tx.get(name);
      long next = Math.addExact(value == null ? now : Math.max(read(value), now), intervalNanos);
      long wait = next - toleranceNanos - now;
      if (wait > 0) {
        return new Grant(false, now, 0, wait);
      }
      tx.put(name, (TYPE + " " + next).getBytes(StandardCharsets.UTF_8));
      return new Grant(true, now, next, 0);
    });
  }

  private long nanos() {
    Instant i = clock.instant();
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  private long read(byte[] value) {
    String[] f = new String(value, StandardCharsets.UTF_8).split(" ");
    try {
      if (f.length == 2 && f[0].equals(TYPE)) {
        return Long.parseLong(f[1]);
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw Records.notA("rate limiter", name, value);
  }

  @Override
  public String toString() {
    return "RateLimiter[" + name + ", " + rate + "/s, burst " + burst + "]";
  }
}
