package dev.larder.jcache;

import dev.larder.CasResult;
import dev.larder.Entry;
import dev.larder.LarderException;
import dev.larder.Namespace;
import dev.larder.Put;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.cache.CacheException;

/**
 * One JCache cache's entries in Larder: a {@link Namespace} of serialized keys and values, with
 * the JCache expiry time of each entry and conditional writes that let the provider act on what it
 * read, across threads and processes. Thread-safe and process-safe: every method is one Larder
 * transaction.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Expiry.</b> An entry's JCache expiry time is its Larder expiry time minus {@link
 * #GRACE_MILLIS}. During that grace period Larder still returns the entry, the provider treats it
 * as expired, and so it can hand the old value to expiry listeners and remove it; after the grace
 * period Larder removes it on its own, like any expired entry. Decision: deriving the time keeps it
 * in Larder's own expiry field, so that an access-expiry update is Larder's small {@code touch};
 * storing it in a header of the value was rejected because every such update would rewrite the
 * whole value. The rejected alternative of no grace at all would make expiry events impossible:
 * Larder hides expired entries at once.
 *
 * <p><b>Conditional writes.</b> The provider reads an entry, decides (calling the expiry policy,
 * the writer, an entry processor), then commits only if the entry is still the one it read: {@link
 * #write} uses Larder's {@code add} or {@code cas} on the version, {@link #delete} and {@link
 * #touch} compare the version inside a Larder transaction. A {@code false} result means another
 * process changed the entry meanwhile; the caller reads again and retries. Within one JVM the
 * provider's key locks make that impossible.
 *
 * <p><b>Clear.</b> {@link #clear()} invalidates the namespace: one small write, whatever the size.
 */
final class EntryStore {
  /** How long Larder keeps an entry after its JCache expiry time (see the class notes). */
  static final long GRACE_MILLIS = 60_000;

  /** An expiry time that never comes. */
  static final long ETERNAL = Long.MAX_VALUE;

  /** The latest expiry time stored; later ones are stored as no expiry. */
  private static final long LATEST = Instant.parse("9999-01-01T00:00:00Z").toEpochMilli();

  private final Namespace<byte[], byte[]> entries;
  private final Put noExpiry;
  private final Set<String> tags;

  EntryStore(Namespace<byte[], byte[]> entries, Set<String> tags) {
    this.entries = entries;
    this.tags = Set.copyOf(tags);
    this.noExpiry = Put.DEFAULT.withTags(this.tags);
  }

  /**
   * An entry as read: its serialized value, Larder version and JCache expiry time ({@link #ETERNAL}
   * for none).
   */
  record Stored(byte[] value, long version, long expiresAt) {
    boolean isExpiredAt(long now) {
      return expiresAt <= now;
    }
  }

  /**
   * Reads the entry for {@code key}, expired or not, or {@code null} if Larder has none. Counts as
   * a Larder hit or miss and, on a hit, as a use for the eviction policy: for reads the user asked
   * for.
   */
  Stored read(byte[] key) {
    Entry<byte[], byte[]> e = call(() -> entries.getEntry(key));
    return e == null ? null : stored(e);
  }

  /**
   * Reads the entry for {@code key} before writing it, like {@link #read}, but in a write
   * transaction, which neither counts as a hit or miss nor notes a use.
   *
   * <p>Decision: a read through {@code getEntry} notes a use, and Larder writes the noted uses in
   * the next write transaction; with one read before every write that costs about 40 us per write
   * instead of 7 (measured: getEntry + cas against put). Reading inside a write transaction takes
   * the writer lock twice per write instead, which costs about 2 us.
   */
  Stored readForWrite(byte[] key) {
    Entry<byte[], byte[]> e = call(() -> entries.transact(tx -> tx.getEntry(key)));
    return e == null ? null : stored(e);
  }

  private static Stored stored(Entry<byte[], byte[]> e) {
    long expiresAt = e.expiresAt() == null ? ETERNAL : e.expiresAt().toEpochMilli() - GRACE_MILLIS;
    return new Stored(e.value(), e.version(), expiresAt);
  }

  /** Whether Larder has an entry for {@code key} that is not expired at {@code now}. */
  boolean isLive(byte[] key, long now) {
    Stored s = read(key);
    return s != null && !s.isExpiredAt(now);
  }

  /**
   * Stores {@code value} with the JCache expiry time {@code expiresAt}, only if the entry is still
   * {@code old} (or still absent, when {@code old} is {@code null}).
   *
   * @return whether it was stored
   */
  boolean write(byte[] key, Stored old, byte[] value, long expiresAt) {
    Put put = options(expiresAt);
    if (old == null) {
      return call(() -> entries.add(key, value, put));
    }
    return call(() -> entries.cas(key, old.version(), value, put)) == CasResult.STORED;
  }

  /** Stores {@code value} whatever is there. */
  void put(byte[] key, byte[] value, long expiresAt) {
    Put put = options(expiresAt);
    call(() -> {
      entries.put(key, value, put);
      return null;
    });
  }

  /**
   * Removes the entry only if it is still {@code old}.
   *
   * @return whether it was removed; {@code false} also when it was already gone
   */
  boolean delete(byte[] key, Stored old) {
    return call(() -> entries.transact(tx -> {
      Entry<byte[], byte[]> e = tx.getEntry(key);
      if (e == null || e.version() != old.version()) {
        return false;
      }
      tx.delete(key);
      return true;
    }));
  }

  /** Removes the entry whatever it is; whether there was one Larder considered live. */
  boolean delete(byte[] key) {
    return call(() -> entries.delete(key));
  }

  /**
   * Sets a new JCache expiry time on the entry, only if it is still {@code old}. A lost race is
   * harmless: whoever changed the entry set its expiry.
   */
  void touch(byte[] key, Stored old, long expiresAt, long now) {
    call(() -> entries.transact(tx -> {
      Entry<byte[], byte[]> e = tx.getEntry(key);
      if (e == null || e.version() != old.version()) {
        return null;
      }
      long larder = larderExpiry(expiresAt);
      if (larder == ETERNAL) {
        tx.persist(key);
      } else {
        tx.touch(key, Duration.ofMillis(Math.max(1, larder - now)));
      }
      return null;
    }));
  }

  /** The keys of the namespace, weakly consistent, including entries in their grace period. */
  Stream<byte[]> keys() {
    return call(entries::keys);
  }

  /** Makes every entry unreachable, in one write. */
  void clear() {
    call(() -> {
      entries.invalidate();
      return null;
    });
  }

  /** The tags every entry of this cache carries. */
  Set<String> tags() {
    return tags;
  }

  private Put options(long expiresAt) {
    long larder = larderExpiry(expiresAt);
    return larder == ETERNAL ? noExpiry : Put.expireAt(Instant.ofEpochMilli(larder)).withTags(tags);
  }

  private static long larderExpiry(long expiresAt) {
    return expiresAt >= LATEST ? ETERNAL : expiresAt + GRACE_MILLIS;
  }

  /** Runs a Larder call, translating its failures into JCache's {@link CacheException}. */
  static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (LarderException e) {
      throw new CacheException(e.getMessage(), e);
    }
  }
}
