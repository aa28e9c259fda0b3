package dev.larder.server;

import dev.larder.Put;
import java.time.Duration;
import java.time.Instant;

/**
 * memcached's exptime rules: 0 never expires; 1 to {@value #MAX_RELATIVE} seconds is relative to
 * now; a larger value is an absolute unix time; a negative value, or an absolute time not in the
 * future, means expired at once.
 *
 * <p>Decision: "expired at once" is stored as an entry whose expiry time is already past, not as a
 * delete. The core treats it as invisible at once and removes it later, and every storage command
 * then keeps memcached's exact outcome for free: {@code set} replies STORED and the old value is
 * gone, {@code add} on a live key still replies NOT_STORED, {@code cas} still checks the version.
 */
final class Expiry {
  static final long MAX_RELATIVE = 60L * 60 * 24 * 30;

  private Expiry() {}

  /** The expiry time in epoch milliseconds for {@code exptime} at {@code nowMillis}; 0 for none. */
  static long expiresAtMillis(long exptime, long nowMillis) {
    if (exptime == 0) {
      return 0;
    }
    if (exptime < 0) {
      return -1;
    }
    if (exptime <= MAX_RELATIVE) {
      return nowMillis + exptime * 1000;
    }
    long at = exptime * 1000;
    return at > nowMillis ? at : -1;
  }

  /** Write options for {@code exptime} and {@code flags}. */
  static Put put(long exptime, int flags, long nowMillis) {
    Put p = Put.flags(flags);
    long at = expiresAtMillis(exptime, nowMillis);
    if (at == 0) {
      return p;
    }
    if (at < 0) {
      return p.withExpireAt(Instant.ofEpochMilli(Math.max(1, nowMillis - 1000)));
    }
    return p.withExpireAt(Instant.ofEpochMilli(at));
  }

  /** The TTL left of an entry in whole seconds, memcached style: -1 for none. */
  static long remainingSeconds(Instant expiresAt, long nowMillis) {
    if (expiresAt == null) {
      return -1;
    }
    long ms = expiresAt.toEpochMilli() - nowMillis;
    return ms <= 0 ? 0 : (ms + 999) / 1000;
  }

  /** A positive duration until {@code expiresAtMillis}, or null if it is not in the future. */
  static Duration until(long expiresAtMillis, long nowMillis) {
    long ms = expiresAtMillis - nowMillis;
    return ms > 0 ? Duration.ofMillis(ms) : null;
  }
}
