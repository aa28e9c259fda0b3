package dev.larder.recipe;

import dev.larder.Cache;
import java.time.Duration;
import java.time.InstantSource;

/**
 * A named lock shared by every thread and process that opens the cache directory, with a lease so
 * that a crashed holder's lock comes free by itself: diskcache's {@code Lock}, with owners.
 *
 * <pre>{@code
 * Lock lock = Lock.of(cache, "report:daily").withLease(Duration.ofMinutes(5));
 * try (LockLease held = lock.lock()) {
 *   buildReport();
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Thread-safe and process-safe.</b> At most one owner holds the lock with a live lease.
 *       The owner is the acquiring thread of the acquiring process ({@code <pid>.<random process
 *       nonce>.<thread id>}): {@link #unlock()} from any other thread or process throws {@link
 *       IllegalStateException} and never releases someone else's lock; the nonce keeps a process
 *       that reuses a dead holder's pid from passing for it. Not re-entrant: locking it again from
 *       the holding thread throws {@link IllegalStateException} (use {@link ReentrantLock}).
 *   <li><b>Leases.</b> An acquisition holds for the lease length ({@link #withLease}, default 30
 *       s) unless renewed ({@link LockLease#renew()}). A holder killed with {@code kill -9} keeps
 *       the lock until its lease ends, then the next attempt takes it over; a holder that outlives
 *       its lease loses the lock the same way, and learns it when its release throws. Guard work
 *       that may outlive the lease with {@link LockLease#token()} or renew.
 *   <li><b>Crashes.</b> The lock is one cache entry under the key {@code name}, written durably
 *       per the cache's {@code Durability}. A crash loses nothing but the crashed holder's
 *       critical section; a power loss under {@code Durability.PROCESS} may lose the last
 *       acquisitions and releases (a released lock may come back held until its lease ends).
 *   <li><b>Fairness: none.</b> Waiters poll with capped exponential backoff, from 0.5 ms
 *       doubling to 32 ms with jitter (another process cannot signal this one); whoever tries first after a release wins, threads of the releasing
 *       process are woken at once, and a busy process can starve others.
 *   <li><b>Clock.</b> Leases are epoch milliseconds of the lock's clock ({@link #withClock},
 *       default the system clock), which every process on the machine shares: all processes must
 *       use the same clock, and a step of the wall clock moves every lease by as much. Wait
 *       timeouts use this process's monotonic clock.
 * </ul>
 *
 * <p>Immutable; the {@code with} methods return new handles on the same lock. Each operation is
 * one read, or one short write transaction.
 */
public final class Lock {
  /** The lease length unless {@link #withLease} says otherwise: 30 seconds. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  private final LockCore core;

  private Lock(LockCore core) {
    this.core = core;
  }

  /**
   * The lock named {@code name} in {@code cache}, with a 30-second lease and the system clock.
   *
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public static Lock of(Cache<String, byte[]> cache, String name) {
    return new Lock(new LockCore(cache, name, DEFAULT_LEASE, InstantSource.system(), false));
  }

  /**
   * This lock with another lease length for new acquisitions and renewals.
   *
   * @throws IllegalArgumentException if {@code lease} is under 1 ms or over 100 years
   */
  public Lock withLease(Duration lease) {
    return new Lock(new LockCore(core.cache, core.name, lease, core.clock, false));
  }

  /** This lock judging leases with {@code clock}; every process must use the same clock. */
  public Lock withClock(InstantSource clock) {
    return new Lock(new LockCore(core.cache, core.name, core.lease, clock, false));
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
   * Acquires the lock, waiting as long as it takes.
   *
   * @throws IllegalStateException if the calling thread already holds it
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
   * @throws IllegalStateException if the calling thread already holds it
   */
  public LockLease lock(Duration timeout) {
    LockLease held = core.acquire(Checks.timeout(timeout));
    if (held == null) {
      throw new RecipeTimeoutException("lock '" + core.name + "'", timeout);
    }
    return held;
  }

  /**
   * Acquires the lock if it is free now: one attempt.
   *
   * @return the hold, or {@code null} if another owner holds the lock
   * @throws IllegalStateException if the calling thread already holds it
   */
  public LockLease tryLock() {
    return core.acquire(Duration.ZERO);
  }

  /**
   * Acquires the lock, waiting up to {@code timeout}.
   *
   * @return the hold, or {@code null} if the lock was not acquired in time
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws IllegalStateException if the calling thread already holds it
   */
  public LockLease tryLock(Duration timeout) {
    return core.acquire(Checks.timeout(timeout));
  }

  /**
   * Releases the lock held by the calling thread (a hold whose lease ended is released too, if
   * nobody took the lock over meanwhile).
   *
   * @throws IllegalStateException if the calling thread does not hold the lock; the lock is left
   *     as it is
   */
  public void unlock() {
    core.release(Owner.current(), -1);
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
    return "Lock[" + core.name + ", lease " + core.lease + "]";
  }
}
