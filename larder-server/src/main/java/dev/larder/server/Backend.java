package dev.larder.server;

import dev.larder.Cache;
import dev.larder.Entry;
import dev.larder.Put;
import dev.larder.SerializationException;
import java.time.Instant;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every connection of one server shares: the cache, counters, stampede leases, settings.
 * Thread-safe.
 *
 * <h2>The stale marker</h2>
 *
 * A meta delete or set with {@code I} (invalidate) marks the entry stale instead of removing it.
 * Decision: the mark is a server-owned tag, {@value #STALE_TAG}, added to the entry's tags in one
 * write that keeps its value, flags and expiry. Tags are a core feature every process reads, so a
 * restarted server, or a second server on the same directory, sees the same mark; the next store
 * of the key (which replaces the tags) clears it. Rejected: a bit of the client flags (they belong
 * to the client, all 32 bits), and a side table (a second write to keep consistent). Java
 * applications that read the key see the old value, and can find stale keys with {@code
 * evictTag("larder:stale")}.
 */
final class Backend {
  static final String STALE_TAG = "larder:stale";

  final Cache<byte[], byte[]> cache;
  final ServerStats stats = new ServerStats();
  final StampedeLeases leases;
  final LarderServer.Options options;
  final AuthFile auth;
  final ScheduledExecutorService timer;
  volatile int verbosity;
  volatile boolean stopping;

  Backend(Cache<byte[], byte[]> cache, LarderServer.Options options, AuthFile auth, ScheduledExecutorService timer) {
    this.cache = cache;
    this.options = options;
    this.auth = auth;
    this.timer = timer;
    this.leases = new StampedeLeases(cache);
  }

  long now() {
    return System.currentTimeMillis();
  }

  /** Thrown for a counter whose value is not an unsigned decimal 64-bit integer. */
  static final class NonNumeric extends RuntimeException {
    NonNumeric() {
      super("cannot increment or decrement non-numeric value", null, false, false);
    }
  }

  /**
   * memcached's incr/decr: unsigned 64-bit, incr wraps at 2^64, decr stops at 0. Returns the new
   * value (as the bits of an unsigned long), or empty if the key is missing.
   *
   * <p>The core's counters are signed and refuse to overflow, so an increment that fits is done by
   * {@link Cache#incrIfPresent} (one write), and everything else (decrements, values or deltas of
   * 2^63 and above, wrap-around) in one transaction here, keeping the entry's flags, expiry and
   * tags.
   */
  OptionalLong arith(byte[] key, long delta, boolean incr) {
    if (incr && delta >= 0) {
      try {
        return cache.incrIfPresent(key, delta);
      } catch (ArithmeticException | SerializationException e) {
        // 2^63 or beyond, or not a number: decided below in unsigned arithmetic
      }
    }
    Long r = cache.transact(tx -> {
      Entry<byte[], byte[]> e = tx.getEntry(key);
      if (e == null) {
        return null;
      }
      long next = apply(e.value(), delta, incr);
      tx.put(key, Long.toUnsignedString(next).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), keep(e));
      return next;
    });
    return r == null ? OptionalLong.empty() : OptionalLong.of(r);
  }

  static long apply(byte[] value, long delta, boolean incr) {
    long base = parseCounter(value);
    if (incr) {
      return base + delta; // wraps at 2^64, as memcached
    }
    return Long.compareUnsigned(delta, base) >= 0 ? 0 : base - delta;
  }

  /** Parses memcached's counter text: digits, with spaces around them allowed. */
  static long parseCounter(byte[] v) {
    int s = 0;
    int e = v.length;
    while (s < e && v[s] == ' ') {
      s++;
    }
    while (e > s && v[e - 1] == ' ') {
      e--;
    }
    if (s == e || e - s > 20) {
      throw new NonNumeric();
    }
    for (int i = s; i < e; i++) {
      if (v[i] < '0' || v[i] > '9') {
        throw new NonNumeric();
      }
    }
    try {
      return Long.parseUnsignedLong(new String(v, s, e - s, java.nio.charset.StandardCharsets.ISO_8859_1));
    } catch (NumberFormatException x) {
      throw new NonNumeric();
    }
  }

  /** Options that rewrite an entry keeping its flags, expiry and tags. */
  static Put keep(Entry<byte[], byte[]> e) {
    Put p = Put.flags(e.flags()).withTags(e.tags());
    return e.expiresAt() != null ? p.withExpireAt(e.expiresAt()) : p;
  }

  /** Like {@link #keep}, with a new expiry instead. */
  static Put keepWithExpiry(Entry<byte[], byte[]> e, long expiresAtMillis, long nowMillis) {
    Put p = Put.flags(e.flags()).withTags(e.tags());
    if (expiresAtMillis == 0) {
      return p;
    }
    return p.withExpireAt(Instant.ofEpochMilli(expiresAtMillis < 0 ? Math.max(1, nowMillis - 1000) : expiresAtMillis));
  }

  static boolean isStale(Entry<byte[], byte[]> e) {
    return !e.tags().isEmpty() && e.tags().contains(STALE_TAG);
  }

  static Set<String> withStale(Set<String> tags) {
    Set<String> s = new HashSet<>(tags);
    s.add(STALE_TAG);
    return s;
  }
}
