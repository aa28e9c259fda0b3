package dev.larder.jcache;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks over serialized keys, so that the steps of one operation on a key (read, call the
 * expiry policy, the writer or an entry processor, commit, notify listeners) are not interleaved
 * with another thread's in this JVM. Processes do not share these locks; {@link EntryStore}'s
 * conditional writes cover them. Reentrant, so a listener may use the cache on the same key.
 * Thread-safe.
 */
final class KeyLocks {
  private static final int STRIPES = 64;

  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  KeyLocks() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** Locks the stripe of {@code key}; close the result to unlock. */
  Held lock(byte[] key) {
    int h = Arrays.hashCode(key);
    h ^= h >>> 16;
    ReentrantLock lock = locks[h & (STRIPES - 1)];
    lock.lock();
    return lock::unlock;
  }

  /** A held lock; {@link #close()} releases it. */
  @FunctionalInterface
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
