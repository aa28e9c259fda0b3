package dev.larder.model;

import java.time.Instant;
import java.util.Set;

/**
 * What the model expects of one entry.
 *
 * @param value the value
 * @param expiresAt epoch milliseconds, or 0 for never
 * @param tags the tags
 * @param flags the client flags
 * @param version the version, or {@link Model#UNKNOWN} until the harness has read it after the
 *     write that made it
 * @param storedAt epoch milliseconds of the last write of the value
 */
record ModelEntry(byte[] value, long expiresAt, Set<String> tags, int flags, long version, long storedAt) {

  /** Invisible from the exact millisecond of its expiry on. */
  boolean expiredAt(long now) {
    return expiresAt != 0 && now >= expiresAt;
  }

  Instant expiresAtInstant() {
    return expiresAt == 0 ? null : Instant.ofEpochMilli(expiresAt);
  }

  /** A new value written at {@code now}, keeping expiry, tags and flags. */
  ModelEntry rewritten(byte[] newValue, long now) {
    return new ModelEntry(newValue, expiresAt, tags, flags, Model.UNKNOWN, now);
  }

  /** The same entry with another expiry; not a write of the value, so version and time stay. */
  ModelEntry withExpiresAt(long newExpiresAt) {
    return new ModelEntry(value, newExpiresAt, tags, flags, version, storedAt);
  }

  ModelEntry withVersion(long newVersion) {
    return new ModelEntry(value, expiresAt, tags, flags, newVersion, storedAt);
  }
}
