package dev.larder.jcache;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/** A cache entry event as listeners receive it. Immutable. */
final class EntryEvent<K, V> extends CacheEntryEvent<K, V> {
  private static final long serialVersionUID = 1L;

  private final K key;
  private final V value;
  private final V oldValue;
  private final boolean oldValueAvailable;

  EntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue, boolean oldValueAvailable) {
    super(source, type);
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
    this.oldValueAvailable = oldValueAvailable;
  }

  /**
   * This event as a listener registered with {@code oldValueRequired} sees it: without that flag,
   * the old value is left out, and removal and expiry events, whose value is the old value, carry
   * no value either (as in the reference implementation).
   */
  EntryEvent<K, V> forListener(boolean oldValueRequired) {
    if (oldValueRequired || !oldValueAvailable) {
      return this;
    }
    boolean valueIsOld = getEventType() == EventType.REMOVED || getEventType() == EventType.EXPIRED;
    @SuppressWarnings("unchecked")
    Cache<K, V> source = getSource();
    return new EntryEvent<>(source, getEventType(), key, valueIsOld ? null : value, null, false);
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
  public V getOldValue() {
    return oldValueAvailable ? oldValue : null;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a cache entry event cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "EntryEvent[" + getEventType() + " " + key + "]";
  }
}
