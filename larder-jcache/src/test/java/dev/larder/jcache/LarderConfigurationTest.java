package dev.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import dev.larder.testkit.Invariants;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Larder's own options, through {@link LarderConfiguration} and the cache manager's properties. */
class LarderConfigurationTest {
  @RegisterExtension final Invariants invariants = new Invariants();
  @TempDir Path dir;
  private LarderCachingProvider provider;
  private CacheManager manager;

  @BeforeEach
  void open() {
    provider = new LarderCachingProvider();
    manager = provider.getCacheManager(dir.toUri(), getClass().getClassLoader(), new Properties());
  }

  @AfterEach
  void close() {
    provider.close();
  }

  private <K, V> Cache<K, V> create(String name, MutableConfiguration<K, V> config) {
    Cache<K, V> cache = manager.createCache(name, config);
    dev.larder.Cache<?, ?> larder = cache.unwrap(dev.larder.Cache.class);
    invariants.register("check " + name, () -> larder.check(false));
    return cache;
  }

  @Test
  void maxEntries_givesTheCacheItsOwnDirectory_andBoundsIt() {
    Cache<Long, String> cache = create("small", new LarderConfiguration<Long, String>()
        .setTypes(Long.class, String.class).setMaxEntries(20).setEvictionPolicy(EvictionPolicy.LEAST_RECENTLY_STORED)
        .setStatisticsEnabled(true));
    for (long i = 0; i < 100; i++) {
      cache.put(i, "v" + i);
    }

    assertThat(Files.isDirectory(dir.resolve("caches").resolve("small"))).isTrue();
    assertThat(cache.unwrap(dev.larder.Cache.class).size()).isLessThanOrEqualTo(20);
    assertThat(cache.get(99L)).isEqualTo("v99");
    assertThat(cache.get(0L)).isNull();
    assertThat(((LarderJCache<?, ?>) cache).statisticsBean().getCacheEvictions()).isGreaterThanOrEqualTo(80);
  }

  @Test
  void ownDirectory_isUsedByALaterPlainConfigurationToo() {
    manager.createCache("small", new LarderConfiguration<String, String>().setMaxEntries(100)).put("a", "1");
    manager.destroyCache("small");
    manager.createCache("small", new LarderConfiguration<String, String>().setMaxEntries(100)).put("b", "2");
    manager.close();

    CacheManager other = new LarderCachingProvider().getCacheManager(dir.toUri(), getClass().getClassLoader());
    try {
      Cache<String, String> plain = other.createCache("small", new MutableConfiguration<>());
      dev.larder.Cache<?, ?> larder = plain.unwrap(dev.larder.Cache.class);
      assertThat(larder.check(false)).isEmpty();
      assertThat(plain.get("b")).isEqualTo("2");
      assertThat(plain.get("a")).isNull();
    } finally {
      other.close();
    }
  }

  @Test
  void tags_letEvictTagRemoveOneCachesEntries() {
    Cache<String, String> orders = create("orders", new LarderConfiguration<String, String>().setTags("orders", "shop"));
    Cache<String, String> users = create("users", new LarderConfiguration<String, String>().setTags("users"));
    orders.put("1", "order one");
    orders.put("2", "order two");
    users.put("1", "user one");

    long removed = orders.unwrap(dev.larder.Cache.class).evictTag("orders");

    assertThat(removed).isEqualTo(2);
    assertThat(orders.get("1")).isNull();
    assertThat(users.get("1")).isEqualTo("user one");
  }

  @Test
  void serialFilter_refusesClassesItDoesNotName() {
    Cache<String, Object> cache = create("filtered",
        new LarderConfiguration<String, Object>().setSerialFilter("java.base/*;!*"));
    cache.put("ok", java.util.List.of(1, 2));
    cache.put("bad", new Point(1, 2));

    assertThat(cache.get("ok")).isEqualTo(java.util.List.of(1, 2));
    assertThatThrownBy(() -> cache.get("bad")).isInstanceOf(CacheException.class).hasMessageContaining("deserialize");
  }

  @Test
  void managerProperties_setTheSharedDirectory() {
    Properties p = new Properties();
    p.setProperty("larder.maxEntries", "10");
    p.setProperty("larder.durability", "sync");
    CacheManager limited = provider.getCacheManager(dir.resolve("limited").toUri(), getClass().getClassLoader(), p);
    Cache<Integer, Integer> cache = limited.createCache("numbers", new MutableConfiguration<Integer, Integer>());
    for (int i = 0; i < 50; i++) {
      cache.put(i, i);
    }

    assertThat(cache.unwrap(dev.larder.Cache.class).size()).isLessThanOrEqualTo(10);
  }

  @Test
  void managerProperties_badValue_isRefusedWithItsName() {
    Properties p = new Properties();
    p.setProperty("larder.evictionPolicy", "random");

    assertThatThrownBy(() -> provider.getCacheManager(dir.resolve("bad").toUri(), getClass().getClassLoader(), p))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larder.evictionPolicy");
  }

  @Test
  void setters_checkTheirArguments() {
    LarderConfiguration<String, String> c = new LarderConfiguration<>();
    assertThatThrownBy(() -> c.setMaxSize(10)).hasMessageContaining("maxSize");
    assertThatThrownBy(() -> c.setMaxEntries(0)).hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> c.setTags("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.setSerialFilter("maxdepth=deep")).isInstanceOf(IllegalArgumentException.class);
    assertThat(c.hasOwnDirectory()).isFalse();
    assertThat(c.setDurability(Durability.SYNC).hasOwnDirectory()).isTrue();
  }

  @Test
  void copy_keepsLarderSettings_andEquality() {
    LarderConfiguration<String, String> c = new LarderConfiguration<String, String>().setMaxEntries(5).setTags("t");
    LarderConfiguration<String, String> copy = new LarderConfiguration<>(c);

    assertThat(copy).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(copy.getMaxEntries()).hasValue(5);
    assertThat(copy.getTags()).containsExactly("t");
    assertThat(copy.setTags("u")).isNotEqualTo(c);
  }

  /** A class the filter does not allow. */
  record Point(int x, int y) implements Serializable {}
}
