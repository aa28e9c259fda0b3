package dev.larder.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.testkit.Invariants;
import dev.larder.testkit.ManualClock;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.SimpleKey;

/** {@link LarderSpringCache} and {@link LarderCacheManager} without a Spring context. */
class LarderSpringCacheTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock();
  private final List<LarderCacheManager> managers = new ArrayList<>();
  private LarderCacheManager manager;

  @BeforeEach
  void open() {
    manager = newManager(LarderCacheManager.builder(dir)
        .ttl("short", Duration.ofMinutes(1))
        .tags("people", (key, value) -> value == null ? Set.of() : Set.of("team:" + ((Person) value).team())));
    invariants.register("check", () -> manager.getLarder().check(false));
  }

  private LarderCacheManager newManager(LarderCacheManager.Builder b) {
    LarderCacheManager m = b.clock(clock).serialFilter("dev.larder.spring.*;java.base/*;!*").build();
    managers.add(m);
    return m;
  }

  @AfterEach
  void close() {
    managers.forEach(LarderCacheManager::close);
  }

  /** A value class the filter allows. */
  record Person(String name, String team) implements Serializable {}

  @Test
  void putGetEvictClear() {
    Cache cache = manager.getCache("people");
    cache.put("ann", new Person("Ann", "red"));
    cache.put(7L, new Person("Seven", "blue"));

    assertThat(cache.get("ann", Person.class)).isEqualTo(new Person("Ann", "red"));
    assertThat(cache.get("7").get()).isEqualTo(new Person("Seven", "blue")); // keys are strings
    assertThat(cache.evictIfPresent("ann")).isTrue();
    assertThat(cache.get("ann")).isNull();
    cache.clear();
    assertThat(cache.get(7L)).isNull();
  }

  @Test
  void cachesOfOneManager_areSeparate_andAnotherManagerSeesThem() {
    manager.getCache("a").put("k", "in a");
    LarderCacheManager other = newManager(LarderCacheManager.builder(dir));

    assertThat(manager.getCache("b").get("k")).isNull();
    assertThat(other.getCache("a").get("k").get()).isEqualTo("in a");
    other.getCache("a").clear();
    assertThat(manager.getCache("a").get("k")).isNull();
  }

  @Test
  void nullValues_areCachedAsNullValue_orRefused() {
    manager.getCache("things").put("nobody", null);
    assertThat(manager.getCache("things").get("nobody")).isNotNull().extracting(Cache.ValueWrapper::get).isNull();

    LarderCacheManager strict = newManager(LarderCacheManager.builder(dir.resolve("strict")).allowNullValues(false));
    assertThatThrownBy(() -> strict.getCache("things").put("nobody", null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void putIfAbsent_returnsTheExistingValue() {
    Cache cache = manager.getCache("things");
    assertThat(cache.putIfAbsent("k", "first")).isNull();
    assertThat(cache.putIfAbsent("k", "second").get()).isEqualTo("first");
  }

  @Test
  void getWithLoader_concurrentCallers_loadOnce() throws Exception {
    Cache cache = manager.getCache("things");
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(threads.submit(() -> {
          go.await();
          return cache.get("k", () -> {
            loads.incrementAndGet();
            Thread.sleep(50);
            return "loaded";
          });
        }));
      }
      go.countDown();
      for (Future<String> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("loaded");
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void getWithLoader_failure_isAValueRetrievalException() {
    Cache cache = manager.getCache("things");
    assertThatThrownBy(() -> cache.get("k", () -> {
      throw new java.io.IOException("database down");
    })).isInstanceOf(Cache.ValueRetrievalException.class).hasRootCauseMessage("database down");
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void getWithLoader_loadedValue_getsItsTags() {
    LarderSpringCache people = manager.getCache("people");
    people.get("ann", () -> new Person("Ann", "red"));

    assertThat(manager.evictTag("team:red")).isEqualTo(1);
    assertThat(people.get("ann")).isNull();
  }

  @Test
  void ttl_entriesExpire() {
    Cache cache = manager.getCache("short");
    cache.put("k", "v");

    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.get("k")).isNotNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void evictTag_removesTheTaggedEntriesOfEveryCache() {
    LarderSpringCache people = manager.getCache("people");
    LarderSpringCache other = manager.getCache("other");
    people.put("ann", new Person("Ann", "red"));
    people.put("bob", new Person("Bob", "blue"));
    other.put("x", "red thing", Set.of("team:red"));

    people.evict(Tag.of("team:red"));

    assertThat(people.get("ann")).isNull();
    assertThat(people.get("bob")).isNotNull();
    assertThat(other.get("x")).isNull();
  }

  @Test
  void serialFilter_refusesAClassAtPut_withItsName() {
    LarderCacheManager jdkOnly = LarderCacheManager.builder(dir.resolve("jdk")).build();
    managers.add(jdkOnly);

    assertThatThrownBy(() -> jdkOnly.getCache("c").put("k", new Person("Ann", "red")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Person.class.getName());
    jdkOnly.getCache("c").put("k", List.of("plain", "jdk", "values"));
    assertThat(jdkOnly.getCache("c").get("k").get()).isEqualTo(List.of("plain", "jdk", "values"));
  }

  @Test
  void keys_simpleKeyWorks_aKeyWithoutToStringIsRefused() {
    Cache cache = manager.getCache("things");
    cache.put(new SimpleKey("a", 1), "v");

    assertThat(cache.get(new SimpleKey("a", 1)).get()).isEqualTo("v");
    assertThatThrownBy(() -> cache.put(new Object(), "v")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("toString");
  }

  @Test
  void fixedCacheNames_otherNamesAreNull() {
    LarderCacheManager fixed = newManager(LarderCacheManager.builder(dir.resolve("fixed")).cacheNames("a", "b"));

    assertThat(fixed.getCacheNames()).containsExactlyInAnyOrder("a", "b");
    assertThat(fixed.getCache("c")).isNull();
    assertThat(fixed.getCache("a")).isNotNull();
  }

  @Test
  void retrieve_returnsFutures() throws Exception {
    Cache cache = manager.getCache("things");
    assertThat(cache.retrieve("k")).isNull();

    CompletableFuture<String> loaded = cache.retrieve("k", () -> CompletableFuture.completedFuture("v"));

    assertThat(loaded.get(10, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(((Cache.ValueWrapper) cache.retrieve("k").get()).get()).isEqualTo("v");
  }

  @Test
  void nativeCache_isTheNamespace() {
    LarderSpringCache cache = manager.getCache("people");

    assertThat(cache.getNativeCache().name()).isEqualTo("spring:people");
  }
}
