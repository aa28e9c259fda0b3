package dev.larder;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.testkit.Eventually;
import dev.larder.testkit.Invariants;
import dev.larder.testkit.ManualClock;
import dev.larder.testkit.Seeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Loading without stampedes, within one process: single flight, fencing, refresh and XFetch. */
class LoadingTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock();
  private Cache<String, byte[]> cache;

  @BeforeEach
  void open() {
    cache = Larder.builder(dir).clock(clock).open();
    invariants.register("check", () -> cache.check(false));
  }

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void manyThreadsMissingOneKey_runTheLoaderOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 64; t++) {
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        byte[] v = cache.get("k", key -> {
          calls.incrementAndGet();
          sleep(100);
          return ("loaded-" + Thread.currentThread().getName()).getBytes(UTF_8);
        });
        seen.add(new String(v, UTF_8));
      });
      threads.add(th);
      th.start();
    }
    start.countDown();
    for (Thread th : threads) {
      th.join();
    }
    assertThat(calls).hasValue(1);
    assertThat(seen).hasSize(1);
    assertThat(cache.stats().loads()).isEqualTo(1);
  }

  @Test
  void loaderFailure_reachesTheCaller_andStoresNothing() {
    assertThatThrownBy(() -> cache.get("k", key -> {
      throw new IllegalStateException("backend down");
    })).hasMessage("backend down");
    assertThat(cache.get("k")).isNull();
    assertThat(cache.get("k", key -> new byte[] {1})).containsExactly(1);
    assertThat(cache.get("none", key -> null)).isNull();
    assertThat(cache.containsKey("none")).isFalse();
  }

  /**
   * A load that started before an invalidation of its key never stores its stale value: repeated
   * 1,000 times with a random invalidation (delete, put, evictTag, namespace invalidate, clear) at a
   * random moment of the load.
   */
  @Test
  void invalidationDuringALoad_fencesItsResult() throws Exception {
    SplittableRandom random = new SplittableRandom(Seeds.seed("invalidationDuringALoad"));
    Namespace<String, byte[]> ns = cache.namespace("ns");
    for (int round = 0; round < 1000; round++) {
      int kind = random.nextInt(5);
      Cache<String, byte[]> target = kind == 3 ? ns : cache;
      CountDownLatch loading = new CountDownLatch(1);
      CountDownLatch invalidated = new CountDownLatch(1);
      String key = "k" + round;
      Thread loader = new Thread(() -> target.get(key, Load.DEFAULT.withPut(Put.tags("t")), k -> {
        loading.countDown();
        await(invalidated);
        return "stale".getBytes(UTF_8);
      }));
      loader.start();
      loading.await();
      if (random.nextBoolean()) {
        sleep(random.nextInt(2));
      }
      switch (kind) {
        case 0 -> cache.delete(key);
        case 1 -> cache.put(key, "fresh".getBytes(UTF_8));
        case 2 -> cache.evictTag("t");
        case 3 -> ns.invalidate();
        default -> cache.clear();
      }
      invalidated.countDown();
      loader.join(10_000);
      byte[] v = target.get(key);
      if (kind == 1) {
        assertThat(new String(v, UTF_8)).as("round %d: a put during the load wins", round).isEqualTo("fresh");
      } else {
        assertThat(v).as("round %d, invalidation %d: the stale load was stored", round, kind).isNull();
      }
    }
  }

  @Test
  void refreshAfter_servesTheOldValueWhileOneRefreshRuns() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Load load = Load.ttl(Duration.ofSeconds(10)).withRefreshAfter(Duration.ofSeconds(5)).withBeta(0);
    assertThat(cache.get("k", load, k -> ("v" + calls.incrementAndGet()).getBytes(UTF_8))).isEqualTo("v1".getBytes(UTF_8));
    clock.advance(Duration.ofSeconds(6));
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < 20; i++) {
      assertThat(cache.get("k", load, k -> {
        await(release);
        return ("v" + calls.incrementAndGet()).getBytes(UTF_8);
      })).isEqualTo("v1".getBytes(UTF_8));
    }
    release.countDown();
    Eventually.await(Duration.ofSeconds(10), "the refresh stored v2",
        () -> "v2".equals(new String(cache.get("k"), UTF_8)));
    assertThat(calls).hasValue(2);
  }

  @Test
  void failedRefresh_keepsTheOldValueUntilTheHardTtl() throws Exception {
    Load load = Load.ttl(Duration.ofSeconds(10)).withRefreshAfter(Duration.ofSeconds(5)).withBeta(0);
    cache.get("k", load, k -> "v1".getBytes(UTF_8));
    clock.advance(Duration.ofSeconds(6));
    AtomicInteger failures = new AtomicInteger();
    assertThat(cache.get("k", load, k -> {
      failures.incrementAndGet();
      throw new IllegalStateException("backend down");
    })).isEqualTo("v1".getBytes(UTF_8));
    Eventually.await(Duration.ofSeconds(10), "the refresh ran and failed", () -> failures.get() == 1);
    assertThat(cache.get("k")).isEqualTo("v1".getBytes(UTF_8));
    clock.advance(Duration.ofSeconds(4));
    assertThat(cache.get("k")).isNull();
  }

  /**
   * XFetch with the lease: readers arriving every millisecond as the expiry approaches recompute
   * exactly once per expiry, and before it.
   */
  @Test
  void xfetch_withTheLease_recomputesOncePerExpiry() {
    Random random = new Random(Seeds.seed("xfetch"));
    Load load = Load.ttl(Duration.ofSeconds(1)).withBeta(1).withRandom(new java.util.SplittableRandom(random.nextLong()));
    AtomicInteger calls = new AtomicInteger();
    java.util.function.Function<String, byte[]> loader = k -> {
      calls.incrementAndGet();
      clock.advance(Duration.ofMillis(50)); // a 50 ms computation
      return new byte[] {(byte) calls.get()};
    };
    cache.get("k", load, loader);
    int expiries = 50;
    int misses = 0;
    for (int i = 0; i < expiries; i++) {
      int before = calls.get();
      long expiresAt = cache.getEntry("k").expiresAt().toEpochMilli();
      while (clock.millis() < expiresAt && calls.get() == before) {
        clock.advance(Duration.ofMillis(1));
        cache.get("k", load, loader);
      }
      if (calls.get() == before) {
        misses++; // expired without an early recomputation: the next read loads on a miss
        cache.get("k", load, loader);
      }
      assertThat(calls.get() - before).as("recomputations in expiry %d", i).isEqualTo(1);
    }
    assertThat(misses).as("expiries that were not recomputed early").isLessThan(expiries / 5);
  }

  @Test
  void tryLease_isExclusive_andFencedByADelete() {
    LoadLease<String, byte[]> lease = cache.tryLease("k", Duration.ofSeconds(30));
    assertThat(lease).isNotNull();
    assertThat(cache.tryLease("k", Duration.ofSeconds(30))).isNull();
    assertThat(lease.store("v".getBytes(UTF_8), Put.DEFAULT)).isTrue();
    assertThat(cache.get("k")).isEqualTo("v".getBytes(UTF_8));
    LoadLease<String, byte[]> second = cache.tryLease("k", Duration.ofSeconds(30));
    cache.delete("k");
    assertThat(second.store("stale".getBytes(UTF_8), Put.DEFAULT)).isFalse();
    assertThat(cache.get("k")).isNull();
    LoadLease<String, byte[]> third = cache.tryLease("k", Duration.ofSeconds(1));
    third.release();
    assertThat(cache.tryLease("k", Duration.ofSeconds(1))).isNotNull();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
