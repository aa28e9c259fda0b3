package dev.larder.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls for a truly asynchronous effect (a background sweep, a child process's progress). */
public final class Eventually {
  private Eventually() {}

  /** Waits until {@code condition} holds, polling every 20 ms; fails with {@code what} on timeout. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
    }
  }
}
