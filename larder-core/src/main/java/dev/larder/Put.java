package dev.larder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Options for a write: expiry, tags and flags. Immutable; start from {@link #DEFAULT} or one of the
 * static factories and chain the {@code with} methods:
 *
 * <pre>{@code
 * cache.put("user:13", json, Put.ttl(Duration.ofMinutes(5)).withTags("user", "tenant:7"));
 * }</pre>
 *
 * <p>Limits, checked when the options are built: a TTL is positive; a tag is 1 to {@value
 * #MAX_TAG_BYTES} bytes of UTF-8; an entry has at most {@value #MAX_TAGS} tags.
 *
 * @param ttl time to live from the moment of the write, or {@code null}
 * @param expiresAt absolute expiry time, or {@code null}; at most one of {@code ttl} and {@code
 *     expiresAt} is set, and with neither the entry does not expire
 * @param tags tags for {@link Cache} set invalidation, possibly empty
 * @param flags an opaque 32-bit value stored with the entry (memcached's client flags)
 */
public record Put(Duration ttl, Instant expiresAt, Set<String> tags, int flags) {

  /** The longest tag, in UTF-8 bytes. */
  public static final int MAX_TAG_BYTES = 250;

  /** The most tags one entry may carry. */
  public static final int MAX_TAGS = 64;

  /** No expiry, no tags, flags 0. */
  public static final Put DEFAULT = new Put(null, null, Set.of(), 0);

  /** Validates the options. */
  public Put {
    if (ttl != null && expiresAt != null) {
      throw new IllegalArgumentException("set ttl or expiresAt, not both: " + ttl + ", " + expiresAt);
    }
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    if (ttl != null && ttl.compareTo(Duration.ofDays(365L * 1000)) > 0) {
      throw new IllegalArgumentException("ttl must be at most 1000 years: " + ttl);
    }
    Objects.requireNonNull(tags, "tags");
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException("at most " + MAX_TAGS + " tags per entry, got " + tags.size());
    }
    for (String tag : tags) {
      checkTag(tag);
    }
    tags = Set.copyOf(new LinkedHashSet<>(tags));
  }

  /** Options with a time to live. */
  public static Put ttl(Duration ttl) {
    return DEFAULT.withTtl(ttl);
  }

  /** Options with an absolute expiry time. */
  public static Put expireAt(Instant expiresAt) {
    return DEFAULT.withExpireAt(expiresAt);
  }

  /** Options with tags. */
  public static Put tags(String... tags) {
    return DEFAULT.withTags(tags);
  }

  /** Options with flags. */
  public static Put flags(int flags) {
    return DEFAULT.withFlags(flags);
  }

  /** These options with a time to live instead of any expiry set before. */
  public Put withTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    return new Put(ttl, null, tags, flags);
  }

  /** These options with an absolute expiry time instead of any expiry set before. */
  public Put withExpireAt(Instant expiresAt) {
    Objects.requireNonNull(expiresAt, "expiresAt");
    return new Put(null, expiresAt, tags, flags);
  }

  /** These options with these tags instead of any set before. */
  public Put withTags(String... tags) {
    Objects.requireNonNull(tags, "tags");
    return withTags(new LinkedHashSet<>(Arrays.asList(tags)));
  }

  /** These options with these tags instead of any set before. */
  public Put withTags(Set<String> tags) {
    return new Put(ttl, expiresAt, tags, flags);
  }

  /** These options with these flags. */
  public Put withFlags(int flags) {
    return new Put(ttl, expiresAt, tags, flags);
  }

  /** The expiry time in epoch milliseconds for a write at {@code nowMillis}, or 0 for none. */
  long expiresAtMillis(long nowMillis) {
    if (ttl != null) {
      return Math.max(1, Math.addExact(nowMillis, ttl.toMillis() == 0 ? 1 : ttl.toMillis()));
    }
    if (expiresAt != null) {
      return Math.max(1, expiresAt.toEpochMilli());
    }
    return 0;
  }

  static void checkTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    int bytes = tag.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_TAG_BYTES) {
      throw new IllegalArgumentException(
          "a tag must be 1 to " + MAX_TAG_BYTES + " bytes of UTF-8, got " + bytes + ": '" + abbreviate(tag) + "'");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
