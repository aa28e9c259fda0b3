package dev.larder.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;

/**
 * A {@link BenchStore} over a Caffeine cache bounded by entry count: the in-heap ceiling. Nothing is
 * persisted and nothing is shared between processes; a crash loses everything.
 */
final class CaffeineStore implements BenchStore {
  private final Cache<String, byte[]> cache;

  CaffeineStore(long entries) {
    cache = Caffeine.newBuilder().maximumSize(Math.max(1_000, 2 * entries)).build();
  }

  @Override
  public byte[] get(String key) {
    return cache.getIfPresent(key);
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
    cache.invalidateAll();
  }
}
