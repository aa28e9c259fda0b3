package dev.larder.model;

import dev.larder.Put;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Write options as data. The absolute expiry is kept relative to the clock at the time of the
 * write, so that a shrunk sequence keeps its meaning when earlier clock advances are removed.
 *
 * @param ttlMillis time to live, or 0 for none
 * @param expireAtDelta absolute expiry as an offset from the clock at the write, or null for none
 * @param tags the tags
 * @param flags the client flags
 * @param explicit whether to pass {@link Put} options even when the plain overload would do
 */
record Opts(long ttlMillis, Long expireAtDelta, List<String> tags, int flags, boolean explicit) {

  static final Opts PLAIN = new Opts(0, null, List.of(), 0, false);

  static Opts ttl(long millis) {
    return new Opts(millis, null, List.of(), 0, false);
  }

  static Opts expireAt(long delta) {
    return new Opts(0, delta, List.of(), 0, false);
  }

  Opts withTags(String... tags) {
    return new Opts(ttlMillis, expireAtDelta, List.of(tags), flags, explicit);
  }

  Opts withFlags(int flags) {
    return new Opts(ttlMillis, expireAtDelta, tags, flags, explicit);
  }

  /** Whether the plain overload (no options) expresses these options. */
  boolean plain() {
    return !explicit && ttlMillis == 0 && expireAtDelta == null && tags.isEmpty() && flags == 0;
  }

  /** Whether {@code put(key, value, Duration)} expresses these options. */
  boolean ttlOnly() {
    return !explicit && ttlMillis > 0 && expireAtDelta == null && tags.isEmpty() && flags == 0;
  }

  Set<String> tagSet() {
    return Set.copyOf(tags);
  }

  /** The options for a write at {@code now}. */
  Put toPut(long now) {
    Put p = Put.DEFAULT;
    if (ttlMillis > 0) {
      p = p.withTtl(Duration.ofMillis(ttlMillis));
    }
    if (expireAtDelta != null) {
      p = p.withExpireAt(Instant.ofEpochMilli(now + expireAtDelta));
    }
    if (!tags.isEmpty()) {
      p = p.withTags(tags.toArray(new String[0]));
    }
    if (flags != 0) {
      p = p.withFlags(flags);
    }
    return p;
  }

  /** The expiry the model expects for a write at {@code now}: epoch milliseconds, 0 for none. */
  long expiresAt(long now) {
    if (ttlMillis > 0) {
      return now + ttlMillis;
    }
    if (expireAtDelta != null) {
      return Math.max(1, now + expireAtDelta);
    }
    return 0;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (ttlMillis > 0) {
      s.append(" ttl=").append(ttlMillis).append("ms");
    }
    if (expireAtDelta != null) {
      s.append(" expireAt=now").append(expireAtDelta >= 0 ? "+" : "").append(expireAtDelta).append("ms");
    }
    if (!tags.isEmpty()) {
      s.append(" tags=").append(tags);
    }
    if (flags != 0) {
      s.append(" flags=").append(flags);
    }
    if (explicit) {
      s.append(" (with Put)");
    }
    return s.toString();
  }
}
