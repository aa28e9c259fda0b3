package dev.larder.jcache;

import java.util.Objects;
import javax.cache.Cache;

/** A key and value as the iterator and the cache writer see them. Immutable. */
final class CacheEntry<K, V> implements Cache.Entry<K, V> {
  private final K key;
  private final V value;

  CacheEntry(K key, V value) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a cache entry cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
