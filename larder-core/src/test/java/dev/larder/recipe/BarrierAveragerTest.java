package dev.larder.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.Eventually;
import dev.larder.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Barrier (renewal, errors, timeouts) and Averager in one process. */
class BarrierAveragerTest {
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

  private LockState record(String name) {
    return LockState.decode(name, cache.get(name));
  }

  @Test
  void call_runningPastTheLease_renewsAndKeepsTheLock() {
    Lock lock = Lock.of(cache, "b").withClock(clock).withLease(Duration.ofMillis(300)); // renewed every 100 ms
    String result = Barrier.of(lock).call(() -> {
      for (int i = 0; i < 4; i++) {
        clock.advanceMillis(200); // 800 ms of lock time in all: well past one lease
        long due = clock.millis() + 300;
        Eventually.await(Duration.ofSeconds(30), "a renewal at the new time",
            () -> record("b").expiresAt() == due);
        assertThat(CompletableFuture.supplyAsync(lock::tryLock).join()).isNull();
      }
      return "done";
    });
    assertThat(result).isEqualTo("done");
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void call_withoutRenewalPastTheLease_codeResultSettledThenReleaseThrows() {
    Lock lock = Lock.of(cache, "b").withClock(clock).withLease(Duration.ofSeconds(1));
    Barrier barrier = Barrier.of(lock).withoutRenewal();
    LockLease[] thief = new LockLease[1];
    assertThatThrownBy(() -> barrier.run(() -> {
      clock.advance(Duration.ofSeconds(2));
      thief[0] = CompletableFuture.supplyAsync(lock::tryLock).join();
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("taken over");
    assertThat(thief[0]).isNotNull();
    assertThat(thief[0].isHeld()).isTrue();
    CompletableFuture.runAsync(thief[0]::close).join();
  }

  @Test
  void wrap_codeThrows_lockReleasedAndExceptionPassedOn() {
    Lock lock = Lock.of(cache, "b");
    Function<String, Integer> f = Barrier.of(lock).wrap(s -> {
      assertThat(lock.isHeldByCurrentThread()).isTrue();
      return Integer.parseInt(s);
    });
    assertThat(f.apply("42")).isEqualTo(42);
    assertThatThrownBy(() -> f.apply("x")).isInstanceOf(NumberFormatException.class);
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void call_withTimeoutWhileHeld_throwsWithoutRunning() {
    Semaphore sem = Semaphore.of(cache, "s", 1);
    Permit taken = sem.acquire();
    boolean[] ran = new boolean[1];
    assertThatThrownBy(() -> Barrier.of(sem).withTimeout(Duration.ofMillis(20)).run(() -> ran[0] = true))
        .isInstanceOf(RecipeTimeoutException.class)
        .satisfies(e -> assertThat(((RecipeTimeoutException) e).timeout()).isEqualTo(Duration.ofMillis(20)));
    assertThat(ran[0]).isFalse();
    taken.close();
    ReentrantLock r = ReentrantLock.of(cache, "r");
    assertThat(Barrier.of(r).call(() -> Barrier.of(r).call(r::holdCount))).as("re-entered").isEqualTo(2);
  }

  @Test
  void averager_addGetPop_compensatedMean() {
    Averager avg = Averager.of(cache, "avg");
    assertThat(avg.get()).isEmpty();
    assertThat(avg.count()).isZero();
    avg.add(1e16);
    for (int i = 0; i < 10; i++) {
      avg.add(1.0);
    }
    avg.add(-1e16);
    // Plain summation loses every 1.0 against 1e16 (the mean would be 0); compensated keeps them.
    assertThat(avg.get()).hasValue(10.0 / 12);
    assertThat(avg.pop()).hasValue(10.0 / 12);
    assertThat(avg.get()).isEmpty();
  }

  @Test
  void averager_withTtl_forgetsAfterQuietSpell() {
    try (Cache<String, byte[]> timed = Larder.builder(dir).clock(clock).open()) {
      Averager avg = Averager.of(timed, "avg").withTtl(Duration.ofMinutes(1));
      avg.add(3);
      clock.advance(Duration.ofSeconds(50));
      avg.add(5);
      clock.advance(Duration.ofSeconds(50));
      assertThat(avg.get()).hasValue(4.0);
      clock.advance(Duration.ofSeconds(11));
      assertThat(avg.get()).isEmpty();
    }
  }
}
