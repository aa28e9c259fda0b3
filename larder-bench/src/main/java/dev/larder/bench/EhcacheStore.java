package dev.larder.bench;

import java.nio.file.Path;
import java.util.Map;
import org.ehcache.Cache;
import org.ehcache.PersistentCacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;

/**
 * A {@link BenchStore} over an Ehcache 3 cache with a single persistent disk tier (no heap tier, so
 * every get reads and deserializes from the disk store, as every Larder get reads LMDB). The tier is
 * sized at twice the data set. Ehcache locks its directory: one process only, and its disk tier is
 * only consistent after a clean close.
 */
final class EhcacheStore implements BenchStore {
  private final PersistentCacheManager manager;
  private final Cache<String, byte[]> cache;

  EhcacheStore(Path dir, long entries, int valueSize) {
    long megabytes = Math.max(64, 2 * entries * (valueSize + 64L) / (1 << 20));
    manager = CacheManagerBuilder.newCacheManagerBuilder()
        .with(CacheManagerBuilder.persistence(dir.toFile()))
        .withCache("bench", CacheConfigurationBuilder.newCacheConfigurationBuilder(
            String.class, byte[].class,
            ResourcePoolsBuilder.newResourcePoolsBuilder().disk(megabytes, MemoryUnit.MB, true)))
        .build(true);
    cache = manager.getCache("bench", String.class, byte[].class);
  }

  @Override
  public byte[] get(String key) {
    return cache.get(key);
  }

  @Override
  public void put(String key, byte[] value) {
    cache.put(key, value);
  }

  @Override
  public void putAll(Map<String, byte[]> entries) {
    cache.putAll(entries);
  }

  @Override
  public void close() {
    manager.close();
  }
}
