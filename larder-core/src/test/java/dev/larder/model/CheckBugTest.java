package dev.larder.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minimal reproduction of a false finding of {@code check(false)} that {@link CacheModelTest}
 * found. A regression test.
 */
class CheckBugTest {
  @TempDir Path dir;

  /**
   * {@code Checker.run} walks the entries inside {@code Store.write}, whose {@code finish()} then
   * sweeps expired entries in the same transaction. An expired entry whose value is in a file is
   * walked (its file noted for verification), then swept, and its file is deleted after the
   * commit; the verification outside the transaction then finds the file missing. A second
   * {@code check(false)} finds nothing.
   */
  @Test
  void check_expiredEntryWithValueFile_findsNothing() {
    ManualClock clock = new ManualClock();
    try (Cache<String, byte[]> cache = Larder.builder(dir).clock(clock).blobThreshold(1024).open()) {
      cache.put("k", new byte[1024], Duration.ofMillis(1));
      clock.advanceMillis(1);

      assertThat(cache.check(false)).isEmpty();
    }
  }

  /** The same with an inline value passes: only value files are verified outside the transaction. */
  @Test
  void check_expiredEntryWithInlineValue_findsNothing() {
    ManualClock clock = new ManualClock();
    try (Cache<String, byte[]> cache = Larder.builder(dir).clock(clock).blobThreshold(1024).open()) {
      cache.put("k", new byte[1023], Duration.ofMillis(1));
      clock.advanceMillis(1);

      assertThat(cache.check(false)).isEmpty();
    }
  }
}
