package dev.larder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Invariants;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every eviction policy keeps the cache within its limits, never evicts the entry just written,
 * and evicts the entry its definition names. Each test ends with {@code check()} clean.
 */
class EvictionPolicyTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;

  static Stream<EvictionPolicy> evicting() {
    return Stream.of(EvictionPolicy.LEAST_RECENTLY_STORED, EvictionPolicy.LEAST_RECENTLY_USED,
        EvictionPolicy.LEAST_FREQUENTLY_USED, EvictionPolicy.S3_FIFO);
  }

  private Cache<String, byte[]> cache;

  private Cache<String, byte[]> open(EvictionPolicy policy, long maxEntries) {
    return track(Larder.builder(dir).evictionPolicy(policy).maxEntries(maxEntries).open());
  }

  private Cache<String, byte[]> track(Cache<String, byte[]> c) {
    if (cache != null) {
      cache.close();
    }
    cache = c;
    invariants.register("check", () -> cache.check(false));
    return c;
  }

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
  }

  @ParameterizedTest
  @MethodSource("evicting")
  void maxEntries_isNeverExceeded_andTheNewEntryStays(EvictionPolicy policy) {
    {
      Cache<String, byte[]> c = open(policy, 100);
      for (int i = 0; i < 1000; i++) {
        c.put("k" + i, new byte[10]);
        if (i % 3 == 0) {
          c.get("k" + (i / 2));
        }
        assertThat(c.size()).isLessThanOrEqualTo(100);
        assertThat(c.containsKey("k" + i)).isTrue();
      }
      assertThat(c.size()).isEqualTo(100);
      assertThat(c.stats().evictionsByCount()).isEqualTo(900);
      assertThat(c.check(false)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("evicting")
  void maxSize_isNeverExceeded_withMixedSizes(EvictionPolicy policy) {
    long limit = 200_000;
    {
      Cache<String, byte[]> c = track(Larder.builder(dir).evictionPolicy(policy).maxSize(limit).blobThreshold(4096).open());
      for (int i = 0; i < 800; i++) {
        c.put("k" + i, new byte[(i * 37) % 9000]);
        assertThat(c.volume()).isLessThanOrEqualTo(limit);
        assertThat(c.containsKey("k" + i)).isTrue();
        if (i % 4 == 0) {
          c.get("k" + (i - 3));
        }
      }
      assertThat(c.stats().evictionsBySize()).isPositive();
    }
  }

  @Test
  void leastRecentlyUsed_evictsTheEntryReadLongestAgo() {
    {
      Cache<String, byte[]> c = open(EvictionPolicy.LEAST_RECENTLY_USED, 3);
      c.put("a", new byte[1]);
      c.put("b", new byte[1]);
      c.put("c", new byte[1]);
      c.get("a");
      c.put("d", new byte[1]);
      assertThat(c.keys().toList()).containsExactly("a", "c", "d");
      c.get("c");
      c.put("e", new byte[1]);
      assertThat(c.keys().toList()).containsExactly("c", "d", "e");
    }
  }

  @Test
  void leastRecentlyStored_ignoresReads() {
    {
      Cache<String, byte[]> c = open(EvictionPolicy.LEAST_RECENTLY_STORED, 3);
      c.put("a", new byte[1]);
      c.put("b", new byte[1]);
      c.put("c", new byte[1]);
      c.get("a");
      c.put("b", new byte[2]); // stored again: now the newest
      c.put("d", new byte[1]);
      assertThat(c.keys().toList()).containsExactly("b", "c", "d");
    }
  }

  @Test
  void leastFrequentlyUsed_evictsTheLeastUsed_oldestAmongEquals() {
    {
      Cache<String, byte[]> c = open(EvictionPolicy.LEAST_FREQUENTLY_USED, 3);
      c.put("a", new byte[1]);
      c.put("b", new byte[1]);
      c.put("c", new byte[1]);
      for (int i = 0; i < 5; i++) {
        c.get("a");
      }
      c.get("c");
      c.get("c");
      c.put("d", new byte[1]);
      assertThat(c.keys().toList()).containsExactly("a", "c", "d");
    }
  }

  @Test
  void leastFrequentlyUsed_anEntryUsedOftenLongAgo_isEvictedAfterEnoughNewerTraffic() {
    {
      Cache<String, byte[]> c = open(EvictionPolicy.LEAST_FREQUENTLY_USED, 20);
      c.put("old", new byte[1]);
      for (int i = 0; i < 1000; i++) {
        c.get("old");
      }
      // Its count still counts: it outlives one-hit keys for a while (plain FIFO would drop it
      // after 20 puts).
      for (int i = 0; i < 60; i++) {
        c.put("once" + i, new byte[1]);
      }
      assertThat(c.containsKey("old")).as("old after 60 one-hit puts").isTrue();
      // Newer traffic: keys used a few times each. Without aging, 1,001 uses would keep "old"
      // forever.
      int evictedAfter = -1;
      for (int i = 0; i < 2000 && evictedAfter < 0; i++) {
        c.put("new" + i, new byte[1]);
        for (int j = 0; j < 3; j++) {
          c.get("new" + i);
        }
        if (!c.containsKey("old")) {
          evictedAfter = i;
        }
      }
      assertThat(evictedAfter).as("newer keys put before \"old\" was evicted").isBetween(0, 1999);
      assertThat(c.size()).isEqualTo(20);
    }
  }

  @Test
  void leastFrequentlyUsed_anEntryInSteadyUse_staysThroughAScan() {
    {
      Cache<String, byte[]> c = open(EvictionPolicy.LEAST_FREQUENTLY_USED, 50);
      c.put("hot", new byte[1]);
      for (int i = 0; i < 5000; i++) {
        c.put("scan" + i, new byte[1]);
        if (i % 10 == 0) {
          assertThat(c.get("hot")).as("hot after %d one-hit keys", i).isNotNull();
        }
      }
      assertThat(c.get("hot")).isNotNull();
      assertThat(c.size()).isEqualTo(50);
    }
  }

  @Test
  void leastFrequentlyUsed_manyUsesAndStores_keepTheEntryEvictable() {
    {
      Cache<String, byte[]> c = open(EvictionPolicy.LEAST_FREQUENTLY_USED, 10);
      c.put("busy", new byte[1]);
      for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 400; i++) {
          c.get("busy");
        }
        c.put("busy", new byte[1 + round % 3]); // applies the noted reads and counts as a use
      }
      assertThat(c.get("busy")).isNotNull();
      for (int i = 0; i < 1000; i++) {
        c.put("k" + i, new byte[1]);
        c.get("k" + i);
      }
      assertThat(c.containsKey("busy")).isFalse();
      assertThat(c.size()).isEqualTo(10);
    }
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LEAST_RECENTLY_STORED", "LEAST_RECENTLY_USED", "S3_FIFO"})
  void changingThePolicy_toLfuAndBack_keepsLimitsAndIndexes(EvictionPolicy other) {
    {
      Cache<String, byte[]> c = open(other, 40);
      for (int i = 0; i < 100; i++) {
        c.put("a" + i, new byte[1]);
        c.get("a" + (i / 2));
      }
    }
    {
      Cache<String, byte[]> c = track(Larder.builder(dir).evictionPolicy(EvictionPolicy.LEAST_FREQUENTLY_USED).open());
      for (int i = 0; i < 150; i++) {
        c.put("b" + i, new byte[1]);
        c.get("b" + (i / 2));
        c.get("b" + (i / 2));
        assertThat(c.size()).isLessThanOrEqualTo(40);
        assertThat(c.containsKey("b" + i)).isTrue();
      }
      assertThat(c.keys("a").count()).isZero();
      assertThat(c.check(false)).isEmpty();
    }
    {
      Cache<String, byte[]> c = track(Larder.builder(dir).evictionPolicy(other).open());
      for (int i = 0; i < 150; i++) {
        c.put("c" + i, new byte[1]);
        c.get("b" + i);
        assertThat(c.size()).isLessThanOrEqualTo(40);
      }
      assertThat(c.keys("b").count()).isZero();
      assertThat(c.size()).isEqualTo(40);
    }
  }

  @Test
  void s3Fifo_keepsAReusedEntryThroughAScan() {
    {
      Cache<String, byte[]> c = open(EvictionPolicy.S3_FIFO, 100);
      c.put("hot", new byte[1]);
      for (int i = 0; i < 5000; i++) {
        c.put("scan" + i, new byte[1]);
        if (i % 20 == 0) {
          assertThat(c.get("hot")).as("hot after %d one-hit keys", i).isNotNull();
        }
      }
      assertThat(c.get("hot")).isNotNull();
    }
  }

  @Test
  void s3Fifo_aKeyComingBackSoonAfterEviction_goesToTheMainQueue() {
    {
      Cache<String, byte[]> c = open(EvictionPolicy.S3_FIFO, 10);
      c.put("returning", new byte[1]);
      for (int i = 0; i < 10; i++) {
        c.put("filler" + i, new byte[1]);
      }
      assertThat(c.containsKey("returning")).isFalse(); // evicted from the small queue, unread
      c.put("returning", new byte[1]); // a ghost hit: placed in the main queue
      for (int i = 0; i < 30; i++) {
        c.put("more" + i, new byte[1]);
      }
      assertThat(c.containsKey("returning")).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LEAST_RECENTLY_STORED", "LEAST_FREQUENTLY_USED", "NONE"})
  void changingThePolicy_ofAFullCache_keepsLimitsAndIndexes(EvictionPolicy before) {
    {
      Cache<String, byte[]> c = open(before, 60);
      for (int i = 0; i < 60; i++) {
        c.put("old" + i, new byte[1]);
      }
    }
    {
      Cache<String, byte[]> c = track(Larder.builder(dir).evictionPolicy(EvictionPolicy.S3_FIFO).open());
      for (int i = 0; i < 200; i++) {
        c.put("new" + i, new byte[1]);
        assertThat(c.size()).isLessThanOrEqualTo(60);
      }
      assertThat(c.keys("old").count()).isZero();
    }
  }

  @Test
  void none_refusesAnEntryOverMaxEntries() {
    {
      Cache<String, byte[]> c = open(EvictionPolicy.NONE, 2);
      c.put("a", new byte[1]);
      c.put("b", new byte[1]);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.put("c", new byte[1]))
          .isInstanceOf(CacheFullException.class).hasMessageContaining("2 entries");
      c.put("a", new byte[3]); // replacing is fine
      assertThat(c.keys().toList()).containsExactly("a", "b");
    }
  }
}
