package dev.larder.recipe;

import dev.larder.Cache;
import java.time.Duration;
import java.time.InstantSource;

/**
 * A named lock that its owner may acquire again while holding it, shared by every thread and
 * process that opens the cache directory: diskcache's {@code RLock}. The owner is the acquiring
 * thread of the acquiring process ({@code <pid>.<random process nonce>.<thread id>}); it must
 * release as many times as it acquired. Every acquisition, nested ones included, renews the lease.
 *
 * <pre>{@code
 * ReentrantLock lock = ReentrantLock.of(cache, "ledger");
 * try (LockLease outer = lock.lock()) {
 *   try (LockLease inner = lock.lock()) { // the same thread: a second hold, at once
 *     post(entry);
 *   }
 * }
 * }</pre>
 *
 * <p>Everything else is as for {@link Lock}: thread-safe and process-safe, leases that free a
 * crashed holder's lock (all its holds at once), owner-checked release, no fairness, leases in
 * epoch milliseconds of the lock's clock. Immutable.
 */
public final class ReentrantLock {
  private final LockCore core;

  private ReentrantLock(LockCore core) {
    this.core = core;
  }

  /**
   * The re-entrant lock named {@code name} in {@code cache}, with a 30-second lease and the
   * system clock.
   *
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public static ReentrantLock of(Cache<String, byte[]> cache, String name) {
    return new ReentrantLock(new LockCore(cache, name, Lock.DEFAULT_LEASE, InstantSource.system(), true));
  }

  /**
   * This lock with another lease length.
   *
   * @throws IllegalArgumentException if {@code lease} is under 1 ms or over 100 years
   */
  public ReentrantLock withLease(Duration lease) {
    return new ReentrantLock(new LockCore(core.cache, core.name, lease, core.clock, true));
  }

  /** This lock judging leases with {@code clock}; every process must use the same clock. */
  public ReentrantLock withClock(InstantSource clock) {
    return new ReentrantLock(new LockCore(core.cache, core.name, core.lease, clock, true));
  }

  /** The lock's name, which is also its key in the cache. */
  public String name() {
    return core.name;
  }

  /** The lease length. */
  public Duration lease() {
    return core.lease;
  }

  /**
   * Acquires the lock, at once if the calling thread holds it already, else waiting as long as it
   * takes.
   *
   * @throws dev.larder.LarderException if interrupted while waiting
   */
  public LockLease lock() {
    return core.acquire(null);
  }

  /**
   * Acquires the lock, waiting up to {@code timeout}.
   *
   * @throws RecipeTimeoutException if the lock was not acquired in time
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public LockLease lock(Duration timeout) {
    LockLease held = core.acquire(Checks.timeout(timeout));
    if (held == null) {
      throw new RecipeTimeoutException("re-entrant lock '" + core.name + "'", timeout);
    }
    return held;
  }

  /**
   * Acquires the lock if it is free or the calling thread's: one attempt.
   *
   * @return the hold, or {@code null} if another owner holds the lock
   */
  public LockLease tryLock() {
    return core.acquire(Duration.ZERO);
  }

  /**
   * Acquires the lock, waiting up to {@code timeout}.
   *
   * @return the hold, or {@code null} if the lock was not acquired in time
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public LockLease tryLock(Duration timeout) {
    return core.acquire(Checks.timeout(timeout));
  }

  /**
   * Releases one hold of the calling thread.
   *
   * @throws IllegalStateException if the calling thread does not hold the lock; the lock is left
   *     as it is
   */
  public void unlock() {
    core.release(Owner.current(), -1);
  }

  /** How many times the calling thread holds the lock with a live lease (0: not at all). One read. */
  public int holdCount() {
    return core.holdsOfCurrentThread();
  }

  /** Whether any owner holds the lock with a live lease now: one read. */
  public boolean isLocked() {
    return core.isLocked();
  }

  /** Whether the calling thread holds the lock with a live lease now: one read. */
  public boolean isHeldByCurrentThread() {
    return core.holdsOfCurrentThread() > 0;
  }

  @Override
  public String toString() {
    return "ReentrantLock[" + core.name + ", lease " + core.lease + "]";
  }
}
