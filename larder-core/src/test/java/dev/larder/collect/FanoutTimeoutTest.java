package dev.larder.collect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stalled shard: another thread holds its write lock in a long transaction. Writes to it time
 * out with {@link ShardTimeoutException} and never take effect; other shards are not held up.
 */
class FanoutTimeoutTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  @TempDir Path dir;
  private FanoutCache<String, byte[]> cache;
  private final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private Thread staller;

  @BeforeEach
  void open() {
    cache = FanoutCache.builder(dir).shards(4).timeout(TIMEOUT).open();
  }

  @AfterEach
  void close() throws Exception {
    release.countDown();
    if (staller != null) {
      staller.join(60_000);
    }
    assertThat(cache.check(false)).isEmpty();
    cache.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private String keyIn(int shard, String stem) {
    for (int i = 0; ; i++) {
      if (cache.shardOf(stem + i) == shard) {
        return stem + i;
      }
    }
  }

  /** Holds shard {@code s}'s write lock from another thread until {@link #release}. */
  private void stall(int s) throws InterruptedException {
    staller = new Thread(() -> cache.shard(s).transact(tx -> {
      tx.put("held-" + s, b("x"));
      holding.countDown();
      try {
        release.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }), "staller");
    staller.start();
    assertThat(holding.await(1, TimeUnit.MINUTES)).isTrue();
  }

  @Test
  void put_stalledShard_throwsAndIsNeverWritten() throws Exception {
    String key = keyIn(1, "k");
    stall(1);
    assertThatThrownBy(() -> cache.put(key, b("lost?")))
        .isInstanceOf(ShardTimeoutException.class)
        .hasMessageContaining("shard 1").hasMessageContaining("withdrawn")
        .satisfies(e -> {
          ShardTimeoutException t = (ShardTimeoutException) e;
          assertThat(t.shards()).containsExactly(1);
          assertThat(t.tookEffect()).isFalse();
          assertThat(t.timeout()).isEqualTo(TIMEOUT);
        });
    // Other shards keep working meanwhile.
    String other = keyIn(2, "o");
    cache.put(other, b("fine"));
    assertThat(cache.get(other)).isEqualTo(b("fine"));
    release.countDown();
    staller.join(60_000);
    // The withdrawn write reached the worker after the lock was freed: it must not have run.
    cache.put(keyIn(1, "after"), b("later")); // queued behind it on the same worker
    assertThat(cache.get(key)).isNull();
    assertThat(cache.get(keyIn(1, "after"))).isEqualTo(b("later"));
    assertThat(cache.shard(1).get("held-1")).as("the staller committed").isEqualTo(b("x"));
  }

  @Test
  void incrAndDelete_stalledShard_throwAndChangeNothing() throws Exception {
    String counter = keyIn(3, "c");
    cache.incr(counter, 10);
    stall(3);
    assertThatThrownBy(() -> cache.incr(counter, 1)).isInstanceOf(ShardTimeoutException.class);
    assertThatThrownBy(() -> cache.delete(counter)).isInstanceOf(ShardTimeoutException.class);
    assertThat(cache.get(counter)).as("reads never wait for the writer").isEqualTo(b("10"));
    release.countDown();
    staller.join(60_000);
    assertThat(cache.incr(counter, 1)).isEqualTo(11);
  }

  @Test
  void putAll_oneShardStalled_otherPartsCommitAndStalledPartIsNamed() throws Exception {
    stall(0);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int s = 0; s < 4; s++) {
      entries.put(keyIn(s, "p"), b("v" + s));
    }
    assertThatThrownBy(() -> cache.putAll(entries))
        .isInstanceOf(ShardTimeoutException.class)
        .satisfies(e -> assertThat(((ShardTimeoutException) e).shards()).containsExactly(0));
    release.countDown();
    staller.join(60_000);
    cache.put(keyIn(0, "flush"), b("f"));
    entries.forEach((k, v) -> {
      if (cache.shardOf(k) == 0) {
        assertThat(cache.get(k)).as("withdrawn part, %s", k).isNull();
      } else {
        assertThat(cache.get(k)).as("committed part, %s", k).isEqualTo(v);
      }
    });
  }

  @Test
  void put_lockFreedBeforeTimeout_succeedsNormally() throws Exception {
    String key = keyIn(2, "w");
    stall(2);
    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
      release.countDown();
    });
    // A generous timeout for this one, so that a slow machine cannot turn it into a timeout.
    try (FanoutCache<String, byte[]> patient = FanoutCache.builder(dir).timeout(Duration.ofMinutes(1)).open()) {
      releaser.start();
      patient.put(key, b("waited"));
      assertThat(patient.get(key)).isEqualTo(b("waited"));
    }
    releaser.join();
  }

  @Test
  void write_alreadyHoldingTheLockWhenTimeUp_isWaitedForAndCommits() throws Exception {
    String key = keyIn(1, "r");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        outcome.set(cache.transact(key, tx -> {
          inside.countDown();
          try {
            finish.await(2, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          tx.put(key, b("slow but started"));
          return "committed";
        }));
      } catch (RuntimeException e) {
        outcome.set(e);
      }
    });
    caller.start();
    assertThat(inside.await(1, TimeUnit.MINUTES)).isTrue();
    Thread.sleep(TIMEOUT.toMillis() + 500); // the caller's timeout runs out while its work holds the lock
    finish.countDown();
    caller.join(60_000);
    assertThat(outcome.get()).as("no timeout for a write that had started").isEqualTo("committed");
    assertThat(cache.get(key)).isEqualTo(b("slow but started"));
  }
}
