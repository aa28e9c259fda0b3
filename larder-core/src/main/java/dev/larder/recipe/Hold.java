package dev.larder.recipe;

import java.time.Duration;
import java.time.Instant;

/** Something held under a lease: a lock hold or a semaphore permit. What {@link Barrier} renews. */
interface Hold extends AutoCloseable {
  /** The lease length that {@link #renew()} extends to. */
  Duration leaseLength();

  /** Extends the lease to a full lease from now; throws {@link IllegalStateException} if lost. */
  Instant renew();

  /** Releases the hold; throws {@link IllegalStateException} if it was lost. */
  @Override
  void close();
}
