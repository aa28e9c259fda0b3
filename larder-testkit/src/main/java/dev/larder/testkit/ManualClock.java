package dev.larder.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to, with millisecond resolution. Thread-safe. */
public final class ManualClock implements InstantSource {
  private final AtomicLong millis;

  /** A clock at a fixed, recognizable instant (2026-01-01T00:00:00Z). */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public ManualClock(Instant start) {
    this.millis = new AtomicLong(start.toEpochMilli());
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  /** Moves the clock forward. */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back: " + d);
    }
    millis.addAndGet(d.toMillis());
  }

  public void advanceMillis(long ms) {
    advance(Duration.ofMillis(ms));
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
