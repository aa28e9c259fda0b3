package dev.larder.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ManualClock;
import dev.larder.testkit.Seeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RateLimiter on a manual clock: exact burst and refill, and the bound under random traffic. */
class RateLimiterTest {
  @TempDir Path dir;
  Cache<String, byte[]> cache;
  ManualClock clock = new ManualClock();

  @BeforeEach
  void open() {
    cache = Larder.builder(dir).open();
  }

  @AfterEach
  void close() {
    assertThat(cache.check(false)).isEmpty();
    cache.close();
  }

  private static int drain(RateLimiter limiter) {
    int n = 0;
    while (limiter.tryAcquire()) {
      n++;
    }
    return n;
  }

  @Test
  void tryAcquire_burstAtOnceThenOnePerInterval() {
    RateLimiter limiter = RateLimiter.of(cache, "api", 10, 3).withClock(clock); // 100 ms per permit
    assertThat(limiter.interval()).isEqualTo(Duration.ofMillis(100));
    assertThat(drain(limiter)).isEqualTo(3);
    clock.advanceMillis(99);
    assertThat(limiter.tryAcquire()).isFalse();
    clock.advanceMillis(1);
    assertThat(drain(limiter)).isEqualTo(1);
    clock.advanceMillis(250);
    assertThat(drain(limiter)).isEqualTo(2);
    clock.advance(Duration.ofHours(1));
    assertThat(drain(limiter)).as("a long quiet spell refills only up to the burst").isEqualTo(3);
    assertThatThrownBy(() -> limiter.acquire(Duration.ofMillis(10)))
        .isInstanceOf(RecipeTimeoutException.class)
        .hasMessageContaining("rate limiter 'api'");
  }

  @Test
  void tryAcquire_randomTrafficTwoHandles_neverAboveBurstPlusRateTimesElapsed() {
    long seed = Seeds.seed("RateLimiterTest.randomTraffic");
    Random random = new Random(seed);
    double rate = 7.5; // interval 133,333,334 ns: rounding up must never over-grant
    int burst = 4;
    RateLimiter a = RateLimiter.of(cache, "r", rate, burst).withClock(clock);
    RateLimiter b = RateLimiter.of(cache, "r", rate, burst).withClock(clock);
    long start = clock.millis();
    int granted = 0;
    for (int step = 0; step < 2000; step++) {
      // Quiet spells up to 1.5 s let the bucket fill up to the burst and waste the rest.
      clock.advanceMillis(random.nextInt(10) == 0 ? random.nextInt(1500) : random.nextInt(60));
      for (int k = random.nextInt(4); k > 0; k--) {
        if ((random.nextBoolean() ? a : b).tryAcquire()) {
          granted++;
        }
      }
      double elapsed = (clock.millis() - start) / 1000.0;
      assertThat((double) granted).as("seed %d, step %d", seed, step).isLessThanOrEqualTo(burst + rate * elapsed);
    }
    assertThat(granted).as("seed %d", seed).isGreaterThan(burst);
  }

  @Test
  void tryAcquire_drainedAfterEveryStep_grantsExactlyBurstPlusElapsedOverInterval() {
    long seed = Seeds.seed("RateLimiterTest.drained");
    Random random = new Random(seed);
    RateLimiter a = RateLimiter.of(cache, "r", 7.5, 4).withClock(clock);
    RateLimiter b = RateLimiter.of(cache, "r", 7.5, 4).withClock(clock);
    long interval = a.interval().toNanos();
    assertThat(interval).isEqualTo(133_333_334L);
    long start = clock.millis(); // the first grant: tat starts here
    long granted = drain(a);
    for (int step = 0; step < 1000; step++) {
      // Steps shorter than burst x interval: the bucket never fills up, so no permit is wasted.
      clock.advanceMillis(random.nextInt(200));
      granted += drain(random.nextBoolean() ? a : b);
      long elapsedNanos = (clock.millis() - start) * 1_000_000L;
      assertThat(granted).as("seed %d, step %d", seed, step).isEqualTo(4 + elapsedNanos / interval);
    }
  }
}
