package dev.larder;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Options for a load through {@link Cache#get(Object, Load, java.util.function.Function)}:
 * how the loaded value is stored, when it is refreshed, and how long a loader may hold its lease.
 * Immutable; start from {@link #DEFAULT} or a static factory and chain the {@code with} methods.
 *
 * <pre>{@code
 * byte[] page = cache.get(url, Load.ttl(Duration.ofMinutes(10)).withRefreshAfter(Duration.ofMinutes(8)), this::fetch);
 * }</pre>
 *
 * @param put how the loaded value is stored (TTL, tags, flags)
 * @param refreshAfter soft TTL: from this age on, reads return the stored value at once while one
 *     refresh runs in the background (null: no refresh)
 * @param beta XFetch early recomputation (Vattani et al., VLDB 2015): a read recomputes early when
 *     {@code -delta * beta * ln(rand) >= remaining TTL}, where {@code delta} is the last load's
 *     duration; 0 turns it off. Default 1; needs a TTL
 * @param leaseTimeout how long a loader holds the key before another thread or process may take
 *     over (a crashed holder's lease expires after this, or at once if its process is gone)
 * @param random the random source of XFetch, for tests; null for {@link java.util.concurrent.ThreadLocalRandom}
 */
public record Load(Put put, Duration refreshAfter, double beta, Duration leaseTimeout, RandomGenerator random) {

  /** No TTL, no refresh, XFetch beta 1 (inactive without a TTL), a 30-second lease. */
  public static final Load DEFAULT = new Load(Put.DEFAULT, null, 1.0, Duration.ofSeconds(30), null);

  /** Validates the options. */
  public Load {
    Objects.requireNonNull(put, "put");
    Objects.requireNonNull(leaseTimeout, "leaseTimeout");
    if (refreshAfter != null && (refreshAfter.isNegative() || refreshAfter.isZero())) {
      throw new IllegalArgumentException("refreshAfter must be positive: " + refreshAfter);
    }
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be a finite number >= 0: " + beta);
    }
    if (leaseTimeout.isNegative() || leaseTimeout.isZero()) {
      throw new IllegalArgumentException("leaseTimeout must be positive: " + leaseTimeout);
    }
  }

  /** Loads stored with a time to live (the hard TTL when a refresh is set). */
  public static Load ttl(Duration ttl) {
    return DEFAULT.withPut(Put.ttl(ttl));
  }

  /** These options storing the value with {@code put}. */
  public Load withPut(Put put) {
    return new Load(put, refreshAfter, beta, leaseTimeout, random);
  }

  /** These options with a soft TTL. */
  public Load withRefreshAfter(Duration refreshAfter) {
    Objects.requireNonNull(refreshAfter, "refreshAfter");
    return new Load(put, refreshAfter, beta, leaseTimeout, random);
  }

  /** These options with another XFetch beta (0 turns early recomputation off). */
  public Load withBeta(double beta) {
    return new Load(put, refreshAfter, beta, leaseTimeout, random);
  }

  /** These options with another lease timeout. */
  public Load withLeaseTimeout(Duration leaseTimeout) {
    return new Load(put, refreshAfter, beta, leaseTimeout, random);
  }

  /** These options with a random source for XFetch, for reproducible tests. */
  public Load withRandom(RandomGenerator random) {
    return new Load(put, refreshAfter, beta, leaseTimeout, Objects.requireNonNull(random, "random"));
  }
}
