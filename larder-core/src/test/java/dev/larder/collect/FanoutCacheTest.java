package dev.larder.collect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.CasResult;
import dev.larder.Codec;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import dev.larder.Put;
import dev.larder.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FanoutCache}: routing, the common operations with and without a timeout, and errors. */
class FanoutCacheTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void shardOf_knownKeys_goToKnownShards() {
    // Golden values: a change to the hash or to what it covers would strand every stored key.
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b("123456789"));
    assertThat(crc.getValue()).as("the CRC32C check value").isEqualTo(0xE3069283L);
    Map<String, Integer> golden = new LinkedHashMap<>();
    golden.put("", 2);
    golden.put("a", 4);
    golden.put("user:13", 5);
    golden.put("larder", 6);
    golden.put("hello world", 7);
    golden.put("\u00e9t\u00e9", 4);
    try (FanoutCache<String, byte[]> cache = FanoutCache.builder(dir).shards(8).open()) {
      golden.forEach((k, shard) -> assertThat(cache.shardOf(k)).as("shard of '%s'", k).isEqualTo(shard));
    }
    try (FanoutCache<Long, byte[]> longs = FanoutCache.builder(dir.resolve("l")).shards(3).keyCodec(Codec.int64()).open()) {
      assertThat(List.of(longs.shardOf(0L), longs.shardOf(1L), longs.shardOf(42L), longs.shardOf(-1L)))
          .containsExactly(0, 2, 0, 2);
    }
  }

  @Test
  void put_manyKeys_spreadOverEveryShardAndStoredWhereRouted() {
    try (FanoutCache<String, byte[]> cache = FanoutCache.builder(dir).shards(4).open()) {
      for (int i = 0; i < 400; i++) {
        cache.put("k" + i, b("v" + i));
      }
      for (int s = 0; s < 4; s++) {
        assertThat(cache.shard(s).size()).as("shard %d", s).isBetween(60L, 140L);
      }
      for (int i = 0; i < 400; i++) {
        String k = "k" + i;
        assertThat(cache.shard(cache.shardOf(k)).get(k)).isEqualTo(b("v" + i));
      }
      assertThat(Files.isDirectory(dir.resolve("shard-003"))).isTrue();
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @ParameterizedTest(name = "timeout {0} ms")
  @ValueSource(ints = {0, 60_000})
  void commonOperations_withAndWithoutTimeout_behaveAsOneCache(int timeoutMillis) {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    FanoutCache.Builder<String, byte[]> b = FanoutCache.builder(dir).shards(4).clock(clock);
    if (timeoutMillis > 0) {
      b.timeout(Duration.ofMillis(timeoutMillis));
    }
    try (FanoutCache<String, byte[]> cache = b.open()) {
      cache.put("a", b("1"));
      assertThat(cache.get("a")).isEqualTo(b("1"));
      assertThat(cache.add("a", b("2"))).isFalse();
      assertThat(cache.add("b", b("2"))).isTrue();
      assertThat(cache.replace("c", b("3"))).isFalse();
      assertThat(cache.replace("b", b("22"))).isTrue();
      long version = cache.getEntry("b").version();
      assertThat(cache.cas("b", version, b("23"))).isEqualTo(CasResult.STORED);
      assertThat(cache.cas("b", version, b("24"))).isEqualTo(CasResult.EXISTS);
      assertThat(cache.append("b", b("x"))).isTrue();
      assertThat(cache.prepend("b", b("<"))).isTrue();
      assertThat(cache.get("b")).isEqualTo(b("<23x"));
      assertThat(cache.incr("n", 5)).isEqualTo(5);
      assertThat(cache.decr("n", 2)).isEqualTo(3);
      assertThatThrownBy(() -> cache.decr("n", Long.MIN_VALUE)).isInstanceOf(ArithmeticException.class);
      assertThat(cache.incr("low", -1)).isEqualTo(-1);
      assertThat(cache.decr("low", Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
      assertThat(cache.delete("low")).isTrue();
      assertThat(cache.incrIfPresent("missing", 1)).isEmpty();
      assertThat(cache.incrIfPresent("n", 1)).hasValue(4);
      cache.put("t", b("ttl"), Put.ttl(Duration.ofSeconds(10)).withTags("grp"));
      cache.put("u", b("tagged"), Put.tags("grp"));
      assertThat(cache.touch("t", Duration.ofSeconds(100))).isTrue();
      clock.advance(Duration.ofSeconds(50));
      assertThat(cache.get("t")).isEqualTo(b("ttl"));
      assertThat(cache.persist("t")).isTrue();
      assertThat(cache.evictTag("grp")).isEqualTo(2);
      assertThat(cache.get("t")).isNull();
      cache.put("e", b("soon"), Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(2));
      assertThat(cache.expire()).isEqualTo(1);
      Map<String, byte[]> many = new LinkedHashMap<>();
      for (int i = 0; i < 50; i++) {
        many.put("m" + i, b("v" + i));
      }
      cache.putAll(many);
      Map<String, byte[]> got = cache.getAll(List.of("m3", "nope", "m1", "a"));
      assertThat(got.keySet()).containsExactly("m3", "m1", "a");
      assertThat(got.get("m1")).isEqualTo(b("v1"));
      assertThat(cache.deleteAll(List.of("m0", "m1", "absent"))).isEqualTo(2);
      assertThat(cache.delete("a")).isTrue();
      assertThat(cache.pop("b")).isEqualTo(b("<23x"));
      assertThat(cache.size()).isEqualTo(49); // n + m2..m49
      assertThat(cache.volume()).isPositive();
      List<String> keys = cache.keys().collect(Collectors.toList());
      assertThat(keys).hasSize(49).isSorted();
      assertThat(cache.keys("m4").collect(Collectors.toList())).containsExactly("m4", "m40", "m41", "m42", "m43",
          "m44", "m45", "m46", "m47", "m48", "m49");
      assertThat(cache.keys("m", "m48").collect(Collectors.toList())).containsExactly("m48", "m49", "m5", "m6", "m7", "m8", "m9");
      assertThat(cache.stats().puts()).isGreaterThanOrEqualTo(55);
      assertThat(cache.stats().count()).isEqualTo(49);
      long viaTx = cache.transact("n", tx -> tx.incr("n", 10));
      assertThat(viaTx).isEqualTo(14);
      assertThat(cache.check(false)).isEmpty();
      cache.clear();
      assertThat(cache.size()).isZero();
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void reopen_withOtherShardCount_isAClearError_withoutCount_keepsIt() {
    try (FanoutCache<String, byte[]> cache = FanoutCache.builder(dir).shards(4).open()) {
      cache.put("k", b("v"));
    }
    assertThatThrownBy(() -> FanoutCache.builder(dir).shards(8).open())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 shards").hasMessageContaining("not 8");
    try (FanoutCache<String, byte[]> cache = FanoutCache.builder(dir).open()) {
      assertThat(cache.shardCount()).isEqualTo(4);
      assertThat(cache.get("k")).isEqualTo(b("v"));
    }
  }

  @Test
  void open_onPlainCacheDirectory_refused() {
    try (Cache<String, byte[]> plain = Larder.builder(dir).open()) {
      plain.put("k", b("v"));
    }
    assertThatThrownBy(() -> FanoutCache.builder(dir).open()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plain Larder cache");
  }

  @Test
  void builder_badArguments_rejectedWithTheValue() {
    assertThatThrownBy(() -> FanoutCache.builder(dir).shards(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> FanoutCache.builder(dir).shards(257)).hasMessageContaining("257");
    assertThatThrownBy(() -> FanoutCache.builder(dir).timeout(Duration.ZERO)).hasMessageContaining("PT0S");
    try (FanoutCache<String, byte[]> cache = FanoutCache.builder(dir).shards(2).open()) {
      assertThatThrownBy(() -> cache.transact(tx -> null)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> cache.namespace("n")).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void maxEntries_total_splitAcrossShardsAndEnforcedPerShard() {
    try (FanoutCache<String, byte[]> cache = FanoutCache.builder(dir).shards(4).maxEntries(100)
        .evictionPolicy(EvictionPolicy.LEAST_RECENTLY_STORED).open()) {
      for (int i = 0; i < 1000; i++) {
        cache.put("k" + i, b("v"));
      }
      for (int s = 0; s < 4; s++) {
        assertThat(cache.shard(s).size()).as("shard %d", s).isLessThanOrEqualTo(25);
      }
      assertThat(cache.size()).isBetween(80L, 100L);
      assertThat(cache.get("k999")).isNotNull();
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void keys_acrossShards_mergedInOrderWithoutDuplicates() {
    try (FanoutCache<Long, byte[]> cache = FanoutCache.builder(dir).shards(5).keyCodec(Codec.int64()).open()) {
      Set<Long> put = new HashSet<>();
      for (long k = -300; k < 300; k += 3) {
        cache.put(k, b("v"));
        put.add(k);
      }
      List<Long> keys = cache.keys().collect(Collectors.toList());
      assertThat(keys).isSorted().doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(new ArrayList<>(put));
    }
  }

  @Test
  void establish_eightThreadsCreatingAtOnce_allAgreeAndNoTempFilesLeft() throws Exception {
    int threads = 8;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    java.util.concurrent.ConcurrentLinkedQueue<Object> got = new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int requested = 3;
      Thread th = new Thread(() -> {
        try {
          start.await();
          got.add(Shards.establish(dir, requested));
        } catch (Exception | AssertionError e) {
          got.add(e);
        }
      });
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    assertThat(got).hasSize(threads).allMatch(o -> Integer.valueOf(3).equals(o));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("fanout.properties");
    }
  }
}
