package dev.larder.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Larder;
import dev.larder.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memoizer: one computation per argument, keys, TTL, tags and invalidation, across reopen. */
class MemoizerTest {
  @TempDir Path dir;

  record Query(String table, int page) {}

  @Test
  void apply_computesOncePerArgument_andSurvivesReopen() {
    AtomicInteger calls = new AtomicInteger();
    try (Cache<String, String> cache = Larder.builder(dir).valueCodec(Codec.string()).open()) {
      Memoizer<Query, String> m = Memoizer.of(cache, "render", q -> {
        calls.incrementAndGet();
        return q.table() + "#" + q.page();
      });
      assertThat(m.key(new Query("users", 2))).isEqualTo("render(Query[table=users, page=2])");
      assertThat(m.apply(new Query("users", 2))).isEqualTo("users#2");
      assertThat(m.apply(new Query("users", 2))).isEqualTo("users#2");
      assertThat(m.apply(new Query("users", 3))).isEqualTo("users#3");
      assertThat(calls).hasValue(2);
    }
    try (Cache<String, String> cache = Larder.builder(dir).valueCodec(Codec.string()).open()) {
      Memoizer<Query, String> m = Memoizer.of(cache, "render", q -> {
        calls.incrementAndGet();
        return "recomputed";
      });
      assertThat(m.apply(new Query("users", 2))).isEqualTo("users#2");
      assertThat(calls).hasValue(2);
      assertThat(cache.check(false)).isEmpty();
    }
  }

  @Test
  void ttlTagsAndInvalidation_forgetResults() {
    ManualClock clock = new ManualClock();
    AtomicInteger calls = new AtomicInteger();
    try (Cache<String, String> cache = Larder.builder(dir).valueCodec(Codec.string()).clock(clock).open()) {
      Memoizer<Long, String> m = Memoizer.<Long, String>of(cache, "profile", id -> "p" + id + "/" + calls.incrementAndGet())
          .withTtl(Duration.ofMinutes(1))
          .withTags(id -> Set.of("user:" + id));
      assertThat(m.apply(13L)).isEqualTo("p13/1");
      assertThat(cache.getEntry(m.key(13L)).tags()).containsExactly("user:13");
      cache.evictTag("user:13");
      assertThat(m.apply(13L)).isEqualTo("p13/2");
      clock.advance(Duration.ofMinutes(2));
      assertThat(m.apply(13L)).isEqualTo("p13/3");
      assertThat(m.invalidate(13L)).isTrue();
      assertThat(m.apply(13L)).isEqualTo("p13/4");
      Memoizer<List<Integer>, String> byList = Memoizer.<List<Integer>, String>of(cache, "sum", l -> "s")
          .withKeyFunction(l -> l.stream().map(String::valueOf).reduce((a, b) -> a + "+" + b).orElse(""));
      assertThat(byList.key(List.of(1, 2, 3))).isEqualTo("sum(1+2+3)");
      assertThat(cache.check(false)).isEmpty();
    }
  }
}
