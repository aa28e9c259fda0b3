package dev.larder.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lock and ReentrantLock in one process: ownership, leases on a manual clock, re-entry, tokens. */
class LockTest {
  @TempDir Path dir;
  Cache<String, byte[]> cache;
  ManualClock clock = new ManualClock();
  ExecutorService other = Executors.newSingleThreadExecutor();

  @BeforeEach
  void open() {
    cache = Larder.builder(dir).open();
  }

  @AfterEach
  void close() {
    other.shutdownNow();
    assertThat(cache.check(false)).isEmpty();
    cache.close();
  }

  private <T> T onOtherThread(java.util.concurrent.Callable<T> task) throws Exception {
    return other.submit(task).get();
  }

  private LockLease leaseOnOtherThread(java.util.concurrent.Callable<LockLease> task) throws Exception {
    return other.submit(task).get();
  }

  @Test
  void lock_free_acquiresAndRecordsLease() {
    Lock lock = Lock.of(cache, "job").withClock(clock).withLease(Duration.ofSeconds(10));
    assertThat(lock.isLocked()).isFalse();
    try (LockLease held = lock.lock()) {
      assertThat(lock.isLocked()).isTrue();
      assertThat(lock.isHeldByCurrentThread()).isTrue();
      assertThat(held.isHeld()).isTrue();
      assertThat(held.acquiredAt()).isEqualTo(clock.instant());
      assertThat(held.expiresAt()).isEqualTo(clock.instant().plusSeconds(10));
      assertThat(held.owner()).startsWith(ProcessHandle.current().pid() + ".");
      assertThat(new String(cache.get("job"), StandardCharsets.UTF_8)).startsWith("lock " + held.owner() + " ");
    }
    assertThat(lock.isLocked()).isFalse();
    assertThat(cache.containsKey("job")).isFalse();
  }

  @Test
  void tryLock_heldByAnotherThread_returnsNullUntilReleased() throws Exception {
    Lock lock = Lock.of(cache, "job");
    LockLease held = lock.lock();
    assertThat(leaseOnOtherThread(lock::tryLock)).isNull();
    assertThat(leaseOnOtherThread(() -> lock.tryLock(Duration.ofMillis(30)))).isNull();
    assertThatThrownBy(() -> onOtherThread(() -> lock.lock(Duration.ofMillis(30))))
        .hasCauseInstanceOf(RecipeTimeoutException.class)
        .hasMessageContaining("lock 'job'");
    held.close();
    LockLease theirs = onOtherThread(lock::tryLock);
    assertThat(theirs).isNotNull();
    assertThat(theirs.token()).isGreaterThan(held.token());
    theirs.close();
  }

  @Test
  void unlock_byNonOwner_throwsAndKeepsTheLock() throws Exception {
    Lock lock = Lock.of(cache, "job");
    try (LockLease held = lock.lock()) {
      assertThatThrownBy(() -> onOtherThread(() -> {
        lock.unlock();
        return null;
      })).hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is not held by")
          .hasMessageContaining("it is held by " + held.owner());
      assertThat(held.isHeld()).isTrue();
    }
    assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class).hasMessageContaining("it is free");
  }

  @Test
  void lock_sameThreadTwice_refusedAsNotReentrant() {
    Lock lock = Lock.of(cache, "job");
    try (LockLease held = lock.lock()) {
      assertThatThrownBy(lock::tryLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("not re-entrant");
      assertThat(held.isHeld()).isTrue();
    }
  }

  @Test
  void lease_ended_anotherOwnerTakesOverAndOldReleaseThrows() throws Exception {
    Lock lock = Lock.of(cache, "job").withClock(clock).withLease(Duration.ofSeconds(5));
    LockLease first = lock.lock();
    clock.advance(Duration.ofMillis(4999));
    assertThat(leaseOnOtherThread(lock::tryLock)).as("one ms before the lease ends").isNull();
    clock.advanceMillis(1);
    assertThat(lock.isLocked()).isFalse();
    LockLease second = onOtherThread(lock::tryLock);
    assertThat(second).isNotNull();
    assertThat(second.acquiredAt()).isEqualTo(first.expiresAt());
    assertThat(first.isHeld()).isFalse();
    assertThatThrownBy(first::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("taken over");
    assertThatThrownBy(first::renew).isInstanceOf(IllegalStateException.class);
    assertThat(second.isHeld()).as("the failed release left the new holder alone").isTrue();
    onOtherThread(() -> {
      second.close();
      return null;
    });
  }

  @Test
  void lease_endedButNotTakenOver_renewsAndReleasesQuietly() {
    Lock lock = Lock.of(cache, "job").withClock(clock).withLease(Duration.ofSeconds(5));
    LockLease held = lock.lock();
    clock.advance(Duration.ofSeconds(60));
    assertThat(lock.isLocked()).isFalse();
    assertThat(held.renew()).isEqualTo(clock.instant().plusSeconds(5));
    assertThat(lock.isLocked()).isTrue();
    held.close();
    held.close(); // idempotent
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void reentrantLock_nestedHolds_countAndReleaseInOrder() throws Exception {
    ReentrantLock lock = ReentrantLock.of(cache, "ledger").withClock(clock).withLease(Duration.ofSeconds(5));
    LockLease a = lock.lock();
    clock.advance(Duration.ofSeconds(3));
    LockLease b = lock.lock();
    LockLease c = lock.tryLock();
    assertThat(lock.holdCount()).isEqualTo(3);
    assertThat(b.token()).isEqualTo(a.token()).isEqualTo(c.token());
    assertThat(c.expiresAt()).as("each hold renews the lease").isEqualTo(clock.instant().plusSeconds(5));
    assertThat(onOtherThread(lock::holdCount)).isZero();
    assertThat(leaseOnOtherThread(lock::tryLock)).isNull();
    assertThatThrownBy(() -> onOtherThread(() -> {
      lock.unlock();
      return null;
    })).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("re-entrant lock 'ledger' is not held");
    assertThat(lock.holdCount()).as("the refused release changed nothing").isEqualTo(3);
    c.close();
    lock.unlock();
    assertThat(lock.holdCount()).isEqualTo(1);
    assertThat(leaseOnOtherThread(lock::tryLock)).isNull();
    a.close();
    assertThat(lock.isLocked()).isFalse();
    assertThatThrownBy(b::close).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @SuppressWarnings("try") // the resource is the lock hold itself
  void lock_contendedByEightThreads_nonAtomicCounterExact() throws Exception {
    Lock lock = Lock.of(cache, "counter-lock");
    int threads = 8;
    int rounds = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CompletableFuture<?>[] all = new CompletableFuture<?>[threads];
      for (int t = 0; t < threads; t++) {
        all[t] = CompletableFuture.runAsync(() -> {
          for (int i = 0; i < rounds; i++) {
            try (LockLease held = lock.lock()) {
              byte[] v = cache.get("counter");
              long n = v == null ? 0 : Long.parseLong(new String(v, StandardCharsets.UTF_8));
              cache.put("counter", Long.toString(n + 1).getBytes(StandardCharsets.UTF_8));
            }
          }
        }, pool);
      }
      CompletableFuture.allOf(all).get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(new String(cache.get("counter"), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(threads * rounds));
  }

  @Test
  void lock_interruptedWhileWaiting_throwsAndKeepsInterruptStatus() throws Exception {
    Lock lock = Lock.of(cache, "job");
    try (LockLease held = lock.lock()) {
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      Thread waiter = new Thread(() -> {
        try {
          lock.lock();
          failure.complete(null);
        } catch (Throwable e) {
          failure.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("interrupt status lost", e));
        }
      });
      waiter.start();
      Thread.sleep(20); // not needed for correctness: an interrupt before the wait is seen at its first sleep
      waiter.interrupt();
      assertThat(failure.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(dev.larder.LarderException.class)
          .hasMessage("interrupted while waiting for lock 'job'");
      assertThat(held.isHeld()).isTrue();
    }
  }

  @Test
  void lock_onAKeyHoldingSomethingElse_throwsNamingTheKey() {
    cache.put("plain", "hello".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Lock.of(cache, "plain").tryLock())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("key 'plain' does not hold a lock record")
        .hasMessageContaining("'hello'");
  }
}
