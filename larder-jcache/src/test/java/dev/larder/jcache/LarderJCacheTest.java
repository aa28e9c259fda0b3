package dev.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Namespace;
import dev.larder.testkit.Eventually;
import dev.larder.testkit.Invariants;
import dev.larder.testkit.ManualClock;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.management.CacheStatisticsMXBean;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the TCK does not cover: persistence, sharing between managers, expiry on disk, unwrap, events. */
class LarderJCacheTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock();
  private final List<LarderCachingProvider> providers = new ArrayList<>();
  private CacheManager manager;

  @BeforeEach
  void open() {
    manager = newManager();
  }

  @AfterEach
  void close() {
    providers.forEach(LarderCachingProvider::close);
  }

  /** A manager on {@link #dir} from a provider of its own, as another application would have. */
  private CacheManager newManager() {
    LarderCachingProvider provider = new LarderCachingProvider(clock);
    providers.add(provider);
    return provider.getCacheManager(URI.create(dir.toUri().toString()), getClass().getClassLoader(), new Properties());
  }

  private <K, V> Cache<K, V> create(CacheManager m, String name, MutableConfiguration<K, V> config) {
    Cache<K, V> cache = m.createCache(name, config);
    dev.larder.Cache<?, ?> larder = cache.unwrap(dev.larder.Cache.class);
    invariants.register("check " + name, () -> larder.check(false));
    return cache;
  }

  private static MutableConfiguration<String, Integer> typed() {
    return new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class);
  }

  @Test
  void put_thenManagerReopened_entryIsStillThere() {
    Cache<String, Integer> cache = create(manager, "orders", typed());
    cache.put("a", 1);
    manager.close();

    Cache<String, Integer> again = create(newManager(), "orders", typed());

    assertThat(again.get("a")).isEqualTo(1);
  }

  @Test
  void twoManagersOnOneDirectory_seeEachOthersWrites() {
    Cache<String, Integer> first = create(manager, "orders", typed());
    Cache<String, Integer> second = create(newManager(), "orders", typed());

    first.put("a", 1);
    second.put("b", 2);

    assertThat(second.get("a")).isEqualTo(1);
    assertThat(first.get("b")).isEqualTo(2);
    first.clear();
    assertThat(second.get("b")).isNull();
  }

  @Test
  void cachesOfOneManager_areSeparate() {
    Cache<String, Integer> orders = create(manager, "orders", typed());
    Cache<String, Integer> users = create(manager, "users", typed());

    orders.put("a", 1);

    assertThat(users.get("a")).isNull();
    assertThat(users.iterator().hasNext()).isFalse();
  }

  @Test
  void destroyCache_notOpenInThisManager_removesItsEntries() {
    create(manager, "orders", typed()).put("a", 1);
    manager.close();

    CacheManager other = newManager();
    other.destroyCache("orders");
    Cache<String, Integer> again = create(other, "orders", typed());

    assertThat(again.get("a")).isNull();
  }

  @Test
  void unwrap_larderCache_readsAndWritesTheSameEntries() {
    Cache<String, Integer> cache = create(manager, "orders", typed());
    cache.put("a", 1);

    @SuppressWarnings("unchecked")
    dev.larder.Cache<String, Integer> larder = cache.unwrap(dev.larder.Cache.class);
    larder.put("b", 2);

    assertThat(larder.get("a")).isEqualTo(1);
    assertThat(cache.get("b")).isEqualTo(2);
    assertThat(cache.unwrap(Namespace.class).name()).isEqualTo("jcache:orders");
    Object self = cache.unwrap(LarderJCache.class);
    assertThat(self).isSameAs(cache);
    assertThatThrownBy(() -> cache.unwrap(String.class)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void createdExpiry_entryExpiresAtItsTime() {
    Cache<String, Integer> cache = create(manager, "orders",
        typed().setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 10))));
    cache.put("a", 1);

    clock.advance(Duration.ofSeconds(9));
    assertThat(cache.get("a")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("a")).isNull();
    assertThat(cache.containsKey("a")).isFalse();
  }

  @Test
  void accessedExpiry_readsExtendTheEntry_acrossManagers() {
    MutableConfiguration<String, Integer> config = typed()
        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 10)));
    Cache<String, Integer> cache = create(manager, "orders", config);
    Cache<String, Integer> other = create(newManager(), "orders", config);
    cache.put("a", 1);

    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(8));
      assertThat(other.get("a")).as("read %d", i).isEqualTo(1);
    }
    clock.advance(Duration.ofSeconds(10));
    assertThat(cache.get("a")).isNull();
  }

  @Test
  void expiredEntry_readWithinTheGracePeriod_firesExpiredWithTheOldValue() {
    Recorder recorder = new Recorder();
    Cache<String, Integer> cache = create(manager, "orders",
        typed().setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 1)))
            .addCacheEntryListenerConfiguration(recorder.configuration(true)));
    cache.put("a", 1);

    clock.advance(Duration.ofSeconds(2));
    assertThat(cache.get("a")).isNull();

    assertThat(recorder.events()).containsExactly("CREATED a=1", "EXPIRED a=1 (old 1)");
  }

  @Test
  void expiredEntry_afterTheGracePeriod_isGoneFromLarderToo() {
    Cache<String, Integer> cache = create(manager, "orders",
        typed().setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.SECONDS, 1))));
    cache.put("a", 1);
    dev.larder.Cache<?, ?> larder = cache.unwrap(dev.larder.Cache.class);

    clock.advance(Duration.ofSeconds(2));
    assertThat(cache.containsKey("a")).isFalse();
    clock.advance(Duration.ofMillis(EntryStore.GRACE_MILLIS));

    assertThat(larder.expire()).isEqualTo(1);
  }

  @Test
  void asynchronousListener_getsEveryEventInOrder() {
    Recorder recorder = new Recorder();
    Cache<String, Integer> cache = create(manager, "orders", typed());
    cache.registerCacheEntryListener(recorder.configuration(false));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      cache.put("k", i);
      expected.add(i == 0 ? "CREATED k=0" : "UPDATED k=" + i + " (old " + (i - 1) + ")");
    }

    Eventually.await(Duration.ofSeconds(10), "200 events", () -> recorder.events().size() == 200);
    assertThat(recorder.events()).containsExactlyElementsOf(expected);
  }

  @Test
  void listeners_areNotToldOfChangesMadeThroughAnotherManager() {
    Recorder recorder = new Recorder();
    Cache<String, Integer> cache = create(manager, "orders", typed().addCacheEntryListenerConfiguration(recorder.configuration(true)));
    Cache<String, Integer> other = create(newManager(), "orders", typed());

    other.put("a", 1);
    cache.put("b", 2);

    assertThat(recorder.events()).containsExactly("CREATED b=2");
  }

  @Test
  void invoke_concurrentIncrements_noneIsLost() throws Exception {
    Cache<String, Integer> cache = create(manager, "counters", typed());
    Cache<String, Integer> other = create(newManager(), "counters", typed());
    EntryProcessor<String, Integer, Integer> increment = (entry, args) -> {
      int next = (entry.exists() ? entry.getValue() : 0) + 1;
      entry.setValue(next);
      return next;
    };
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Cache<String, Integer> c = t % 2 == 0 ? cache : other;
        done.add(threads.submit(() -> {
          for (int i = 0; i < 250; i++) {
            c.invoke("n", increment);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(cache.get("n")).isEqualTo(1000);
  }

  @Test
  void values_areStoredByValue() {
    Cache<String, List<String>> cache = create(manager, "lists", new MutableConfiguration<>());
    List<String> list = new ArrayList<>(List.of("a"));
    cache.put("k", list);
    list.add("b");

    List<String> read = cache.get("k");
    read.add("c");

    assertThat(cache.get("k")).containsExactly("a");
  }

  @Test
  void createCache_storeByReference_isRefused() {
    assertThatThrownBy(() -> manager.createCache("refs", new MutableConfiguration<>().setStoreByValue(false)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void getConfiguration_isAnImmutableCopy() {
    Cache<String, Integer> cache = create(manager, "orders", typed());
    LarderConfiguration<String, Integer> config = cache.getConfiguration(LarderConfiguration.class);

    assertThatThrownBy(() -> config.setReadThrough(true)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.setMaxEntries(3)).isInstanceOf(UnsupportedOperationException.class);
    CompleteConfiguration<?, ?> complete = cache.getConfiguration(CompleteConfiguration.class);
    assertThat(complete.getKeyType()).isEqualTo(String.class);
  }

  @Test
  void statistics_countThisJvmsOperations() {
    Cache<String, Integer> cache = create(manager, "orders", typed().setStatisticsEnabled(true));
    Cache<String, Integer> other = create(newManager(), "orders", typed().setStatisticsEnabled(true));
    cache.put("a", 1);
    cache.get("a");
    cache.get("b");
    other.get("a");

    CacheStatisticsMXBean stats = ((LarderJCache<?, ?>) cache).statisticsBean();

    assertThat(stats.getCachePuts()).isEqualTo(1);
    assertThat(stats.getCacheHits()).isEqualTo(1);
    assertThat(stats.getCacheMisses()).isEqualTo(1);
  }

  /** Records events as text, synchronously or not. */
  static final class Recorder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<List<String>> ALL = Collections.synchronizedList(new ArrayList<>());
    private final int id;

    Recorder() {
      ALL.add(new CopyOnWriteArrayList<>());
      id = ALL.size() - 1;
    }

    List<String> events() {
      return List.copyOf(ALL.get(id));
    }

    MutableCacheEntryListenerConfiguration<String, Integer> configuration(boolean synchronous) {
      return new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(new Listener(id)), null, true,
          synchronous);
    }
  }

  /** A listener that appends to its recorder's list. */
  static final class Listener implements CacheEntryCreatedListener<String, Integer>,
      CacheEntryUpdatedListener<String, Integer>, CacheEntryExpiredListener<String, Integer>, Serializable {
    private static final long serialVersionUID = 1L;
    private final int id;

    Listener(int id) {
      this.id = id;
    }

    private void record(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      for (CacheEntryEvent<? extends String, ? extends Integer> e : events) {
        String old = e.getEventType() == EventType.CREATED ? "" : " (old " + e.getOldValue() + ")";
        Recorder.ALL.get(id).add(e.getEventType() + " " + e.getKey() + "=" + e.getValue() + old);
      }
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      record(events);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      record(events);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      record(events);
    }
  }
}
