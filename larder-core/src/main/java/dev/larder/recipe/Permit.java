package dev.larder.recipe;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One permit of a {@link Semaphore}; closing it gives the permit back, so it fits
 * try-with-resources. Whoever has this object may release or renew it, from any thread.
 * Thread-safe; times are those of the semaphore's clock.
 */
public final class Permit implements Hold {
  private final Semaphore semaphore;
  private final String id;
  private final Instant acquiredAt;
  private volatile Instant expiresAt;
  private final AtomicBoolean closed = new AtomicBoolean();

  Permit(Semaphore semaphore, String id, Instant acquiredAt, Instant expiresAt) {
    this.semaphore = semaphore;
    this.id = id;
    this.acquiredAt = acquiredAt;
    this.expiresAt = expiresAt;
  }

  /** The permit's id: {@code <pid>.<process nonce>.<thread id>/<sequence>}. */
  public String id() {
    return id;
  }

  /** When it was acquired. */
  public Instant acquiredAt() {
    return acquiredAt;
  }

  /** When its lease ends, as of acquisition or the last {@link #renew()} through this object. */
  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public Duration leaseLength() {
    return semaphore.lease();
  }

  /** Whether the permit is still held with a live lease: one read. */
  public boolean isHeld() {
    return !closed.get() && semaphore.holds(id);
  }

  /**
   * Extends the lease to a full lease from now: one write transaction.
   *
   * @return the new end of the lease
   * @throws IllegalStateException if the permit was released, or its lease ended and another
   *     acquisition reclaimed it
   */
  @Override
  public Instant renew() {
    if (closed.get()) {
      throw new IllegalStateException("permit " + id + " was already released");
    }
    Instant renewed = Instant.ofEpochMilli(semaphore.renew(id));
    expiresAt = renewed;
    return renewed;
  }

  /**
   * Gives the permit back: one write transaction. Idempotent.
   *
   * @throws IllegalStateException if its lease ended and another acquisition reclaimed it
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      semaphore.release(id);
    }
  }

  @Override
  public String toString() {
    return "Permit[" + id + " of " + semaphore.name() + ", until " + expiresAt + "]";
  }
}
