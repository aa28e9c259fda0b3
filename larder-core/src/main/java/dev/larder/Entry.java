package dev.larder;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A stored entry with its metadata, as read by {@link Cache#getEntry}. An immutable snapshot.
 *
 * @param key the key
 * @param value the value
 * @param version the entry's version for {@link Cache#cas}: it changes with every write of the
 *     key, and is never reused within a cache directory
 * @param storedAt when the value was last written
 * @param expiresAt when the entry expires, or {@code null} when it does not
 * @param tags the entry's tags, possibly empty
 * @param flags the opaque 32-bit flags stored with the value (memcached's client flags)
 * @param <K> the key type
 * @param <V> the value type
 */
public record Entry<K, V>(
    K key, V value, long version, Instant storedAt, Instant expiresAt, Set<String> tags, int flags) {

  /** Validates and copies the tags. */
  public Entry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(storedAt, "storedAt");
    tags = Set.copyOf(tags);
  }

  /** Whether the entry has an expiry time. */
  public boolean expires() {
    return expiresAt != null;
  }
}
