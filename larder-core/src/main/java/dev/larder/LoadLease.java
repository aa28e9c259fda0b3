package dev.larder;

/**
 * The right to compute and store one key's value, held by one caller in one process: what {@link
 * Cache#get(Object, Load, java.util.function.Function)} uses inside, for code whose loader does
 * not fit in a function (a protocol server whose client computes the value, for instance).
 *
 * <p>{@link #store} stores the value only if nothing invalidated the key since the lease was taken
 * (the key was not written, deleted or cleared, its namespace was not invalidated, the lease was
 * not taken over after its timeout; unlike a load through {@code get}, tag evictions are not
 * fenced, since the tags are not known when the lease is taken). Release the lease when giving
 * up; a lease that is neither stored nor released lapses after its timeout, or at once when its
 * process dies. Not thread-safe: use it from one thread at a time.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface LoadLease<K, V> {

  /** The key. */
  K key();

  /** The fencing token, unique in the directory; a larger token is a later lease. */
  long token();

  /**
   * Stores {@code value} with {@code options} and gives the lease up, unless the lease was fenced.
   *
   * @return whether the value was stored
   * @throws IllegalStateException if the lease was already stored or released
   */
  boolean store(V value, Put options);

  /** Gives the lease up without storing anything. Idempotent. */
  void release();
}
