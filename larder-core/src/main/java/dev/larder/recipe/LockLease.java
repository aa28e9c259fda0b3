package dev.larder.recipe;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One hold of a {@link Lock} or {@link ReentrantLock}, returned by {@code lock()} and {@code
 * tryLock()}; closing it releases the hold, so it fits try-with-resources:
 *
 * <pre>{@code
 * try (LockLease held = lock.lock()) {
 *   // one thread of one process at a time
 * }
 * }</pre>
 *
 * <p>The lease is the lock's lease length from the moment of acquisition; {@link #renew()} extends
 * it. Whoever has this object may release or renew the hold, from any thread. Thread-safe; the
 * times are those of the lock's clock.
 */
public final class LockLease implements Hold {
  private final LockCore core;
  private final String owner;
  private final long token;
  private final Instant acquiredAt;
  private volatile Instant expiresAt;
  private final AtomicBoolean closed = new AtomicBoolean();

  LockLease(LockCore core, LockState state) {
    this.core = core;
    this.owner = state.owner();
    this.token = state.token();
    this.acquiredAt = Instant.ofEpochMilli(state.acquiredAt());
    this.expiresAt = Instant.ofEpochMilli(state.expiresAt());
  }

  /** The lock's name. */
  public String name() {
    return core.name;
  }

  /** The holder: {@code <pid>.<process nonce>.<thread id>} of the thread that acquired it. */
  public String owner() {
    return owner;
  }

  /**
   * The fencing token of the acquisition: unique in the cache directory and larger for every
   * later acquisition of any lock there, so a resource guarded by the lock can refuse writes from
   * a holder whose lease ended (Kleppmann's fencing tokens). Nested holds of a re-entrant lock
   * share their first hold's token.
   */
  public long token() {
    return token;
  }

  /** When the owner acquired the lock (its first hold, for a re-entrant lock). */
  public Instant acquiredAt() {
    return acquiredAt;
  }

  /** When the lease ends, as of acquisition or the last {@link #renew()} through this object. */
  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public Duration leaseLength() {
    return core.lease;
  }

  /**
   * Whether this acquisition still holds the lock with a live lease: one read.
   */
  public boolean isHeld() {
    LockState s = core.state();
    return !closed.get() && s != null && s.owner().equals(owner) && s.token() == token
        && s.liveAt(core.clock.millis());
  }

  /**
   * Extends the lease to the lock's lease length from now: one write transaction. A lease that
   * ended but that nobody took over can still be renewed.
   *
   * @return the new end of the lease
   * @throws IllegalStateException if this hold was released, or its lease ended and another
   *     acquisition took the lock
   */
  @Override
  public Instant renew() {
    if (closed.get()) {
      throw new IllegalStateException(core.kind() + " '" + core.name + "' hold " + token + " was already released");
    }
    Instant renewed = Instant.ofEpochMilli(core.renew(owner, token));
    expiresAt = renewed;
    return renewed;
  }

  /**
   * Releases this hold (one level of a re-entrant lock): one write transaction. Idempotent: a
   * second close does nothing.
   *
   * @throws IllegalStateException if the lease ended and another acquisition took the lock: the
   *     lock is then not touched, and the caller learns that its critical section may have
   *     overlapped another holder's
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      core.release(owner, token);
    }
  }

  @Override
  public String toString() {
    return "LockLease[" + core.name + ", owner " + owner + ", token " + token + ", until " + expiresAt + "]";
  }
}
