package dev.larder.bench;

import dev.larder.Cache;
import java.util.Map;

/** A {@link BenchStore} over a Larder {@link Cache}: each call is the cache method of that name. */
final class LarderStore implements BenchStore {
  private final Cache<String, byte[]> cache;

  LarderStore(Cache<String, byte[]> cache) {
    this.cache = cache;
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
    cache.close();
  }
}
