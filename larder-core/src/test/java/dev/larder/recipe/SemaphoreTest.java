package dev.larder.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Semaphore in one process, on a manual clock: bounds, leases, reclaiming, renewal. */
class SemaphoreTest {
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

  @Test
  void acquire_upToPermits_thenRefusedUntilRelease() {
    Semaphore sem = Semaphore.of(cache, "sem", 2).withClock(clock);
    Permit a = sem.tryAcquire();
    Permit b = sem.tryAcquire();
    assertThat(a).isNotNull();
    assertThat(b).isNotNull();
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(sem.availablePermits()).isZero();
    assertThat(sem.tryAcquire()).isNull();
    assertThat(sem.tryAcquire(Duration.ofMillis(20))).isNull();
    assertThatThrownBy(() -> sem.acquire(Duration.ofMillis(20)))
        .isInstanceOf(RecipeTimeoutException.class)
        .hasMessageContaining("semaphore 'sem'");
    a.close();
    a.close(); // idempotent: cannot give a permit back twice
    assertThat(sem.availablePermits()).isEqualTo(1);
    try (Permit c = sem.acquire()) {
      assertThat(c.isHeld()).isTrue();
      assertThat(sem.tryAcquire()).isNull();
    }
    b.close();
    assertThat(sem.availablePermits()).isEqualTo(2);
    assertThat(cache.containsKey("sem")).as("no record left when nobody holds").isFalse();
  }

  @Test
  void lease_ended_permitReclaimedAndOldReleaseThrows() {
    Semaphore sem = Semaphore.of(cache, "sem", 1).withClock(clock).withLease(Duration.ofSeconds(10));
    Permit crashed = sem.acquire();
    clock.advance(Duration.ofMillis(9999));
    assertThat(sem.tryAcquire()).isNull();
    clock.advanceMillis(1);
    assertThat(sem.availablePermits()).isEqualTo(1);
    Permit next = sem.tryAcquire();
    assertThat(next).isNotNull();
    assertThat(next.acquiredAt()).isEqualTo(crashed.expiresAt());
    assertThat(crashed.isHeld()).isFalse();
    assertThatThrownBy(crashed::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("reclaimed");
    assertThat(next.isHeld()).isTrue();
    next.close();
  }

  @Test
  void renew_beforeLeaseEnds_keepsThePermit() {
    Semaphore sem = Semaphore.of(cache, "sem", 1).withClock(clock).withLease(Duration.ofSeconds(10));
    Permit p = sem.acquire();
    clock.advance(Duration.ofSeconds(8));
    assertThat(p.renew()).isEqualTo(clock.instant().plusSeconds(10));
    clock.advance(Duration.ofSeconds(8));
    assertThat(sem.tryAcquire()).isNull();
    assertThat(p.isHeld()).isTrue();
    p.close();
    assertThatThrownBy(p::renew).isInstanceOf(IllegalStateException.class).hasMessageContaining("already released");
  }
}
