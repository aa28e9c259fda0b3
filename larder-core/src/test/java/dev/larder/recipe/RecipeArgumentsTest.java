package dev.larder.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Larder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misuse: bad arguments are refused at once, with messages that name the value. */
class RecipeArgumentsTest {
  @TempDir Path dir;

  @Test
  void factoriesAndOptions_badValues_illegalArgumentNamingTheValue() {
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      assertThatThrownBy(() -> Lock.of(null, "x")).isInstanceOf(NullPointerException.class).hasMessage("cache");
      assertThatThrownBy(() -> Lock.of(cache, null)).isInstanceOf(NullPointerException.class).hasMessage("name");
      assertThatThrownBy(() -> ReentrantLock.of(cache, "")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must not be empty");
      assertThatThrownBy(() -> Lock.of(cache, "x").withLease(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("lease must be at least 1 ms, got PT0S");
      assertThatThrownBy(() -> Semaphore.of(cache, "x", 1).withLease(Duration.ofNanos(999_999)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got PT0.000999999S");
      assertThatThrownBy(() -> Lock.of(cache, "x").withLease(Duration.ofDays(365L * 101)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be at most");
      assertThatThrownBy(() -> Lock.of(cache, "x").tryLock(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must not be negative, got PT-1S");
      assertThatThrownBy(() -> Semaphore.of(cache, "x", 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("permits must be between 1 and 10000, got 0");
      assertThatThrownBy(() -> Semaphore.of(cache, "x", 10_001)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got 10001");
      for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 2e9}) {
        assertThatThrownBy(() -> RateLimiter.of(cache, "x", bad, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("rate must be a number of permits per second in (0, 1e9], got " + bad);
      }
      assertThatThrownBy(() -> RateLimiter.of(cache, "x", 1, 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("burst must be at least 1, got 0");
      assertThatThrownBy(() -> RateLimiter.of(cache, "x", 1e-10, 1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("burst / rate must be at most 100 years, got 1 / 1.0E-10");
      assertThatThrownBy(() -> RateLimiter.of(cache, "x", 1, 1).acquire(Duration.ofMillis(-5)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got PT-0.005S");
      assertThatThrownBy(() -> Averager.of(cache, "x").add(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("value must be a finite number, got NaN");
      assertThatThrownBy(() -> Averager.of(cache, "x").withTtl(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
      assertThatThrownBy(() -> Barrier.of(Lock.of(cache, "x")).withTimeout(Duration.ofSeconds(-2)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got PT-2S");
      assertThat(cache.size()).as("nothing was written").isZero();
    }
  }

  @Test
  void release_bySamePidWithAnotherNonce_refused() {
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      LockCore core = new LockCore(cache, "x", Duration.ofSeconds(30), java.time.InstantSource.system(), true);
      LockLease held = core.acquire(Duration.ZERO);
      // What a later process that reused this pid would present: same pid and thread id, new nonce.
      String impostor = Owner.PID + ".0123456789abcdef." + Thread.currentThread().getId();
      assertThat(impostor).isNotEqualTo(held.owner());
      assertThatThrownBy(() -> core.release(impostor, -1)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("it is held by " + held.owner());
      assertThat(held.isHeld()).isTrue();
      held.close();
    }
  }

  @Test
  @SuppressWarnings("try") // the resource is the lock hold itself
  void recipes_onEachOthersKeys_illegalStateNamingTheKey() {
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      try (Permit p = Semaphore.of(cache, "shared", 2).acquire()) {
        assertThatThrownBy(() -> Lock.of(cache, "shared").tryLock()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("key 'shared' does not hold a lock record");
        assertThatThrownBy(() -> RateLimiter.of(cache, "shared", 1, 1).tryAcquire())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("rate limiter record");
        assertThatThrownBy(() -> Averager.of(cache, "shared").get())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("averager record");
      }
    }
  }
}
