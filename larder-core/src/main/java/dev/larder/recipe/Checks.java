package dev.larder.recipe;

import dev.larder.Cache;
import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the recipes; messages name the argument and its value. */
final class Checks {
  /** The longest lease or wait a recipe accepts: far beyond any use, and safe from overflow. */
  static final Duration MAX_DURATION = Duration.ofDays(365L * 100);

  private Checks() {}

  static Cache<String, byte[]> cache(Cache<String, byte[]> cache) {
    return Objects.requireNonNull(cache, "cache");
  }

  static String name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    return name;
  }

  /** A lease: at least one millisecond (leases are kept in milliseconds), at most 100 years. */
  static Duration lease(Duration lease) {
    Objects.requireNonNull(lease, "lease");
    if (lease.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("lease must be at least 1 ms, got " + lease);
    }
    if (lease.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("lease must be at most " + MAX_DURATION + ", got " + lease);
    }
    return lease;
  }

  /** A wait timeout: zero (one attempt) or more, at most 100 years. */
  static Duration timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    if (timeout.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("timeout must be at most " + MAX_DURATION + ", got " + timeout);
    }
    return timeout;
  }
}
