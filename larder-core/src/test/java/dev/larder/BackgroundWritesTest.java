package dev.larder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Larder's own background writes (flushing counters, sweeping leftovers) must not expire entries by
 * the wall clock when the cache runs on another clock. Regression: a reopened cache on a manual
 * clock lost an entry with a one-hour TTL to the open-time sweep.
 */
class BackgroundWritesTest {
  @TempDir Path dir;

  @Test
  void backgroundWrites_doNotExpireEntriesByTheWallClock() throws InterruptedException {
    ManualClock clock = new ManualClock(Instant.parse("2020-01-01T00:00:00Z"));
    try (Cache<String, byte[]> cache = Larder.builder(dir).clock(clock).open()) {
      cache.put("k", new byte[] {1}, Duration.ofHours(1));
      cache.get("k"); // a hit, so the next maintenance round writes the counters
      Thread.sleep(1_500);
      assertThat(cache.get("k")).containsExactly(1);
    }
    try (Cache<String, byte[]> cache = Larder.builder(dir).clock(clock).open()) {
      Thread.sleep(1_500);
      assertThat(cache.get("k")).containsExactly(1);
      assertThat(cache.stats().expirations()).isZero();
      assertThat(cache.stats().hits()).isGreaterThanOrEqualTo(2);
    }
  }
}
