package dev.larder.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact least-recently-used replacement holding at most {@code capacity} keys: a {@link
 * LinkedHashMap} in access order that drops its eldest key when it grows past the capacity. This
 * is the textbook LRU that the traces' reference column was computed with. Not thread-safe.
 */
final class LruModel implements CacheModel {
  private final LinkedHashMap<Integer, Boolean> map;

  LruModel(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.map = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public boolean request(int key) {
    if (map.get(key) != null) {
      return true;
    }
    map.put(key, Boolean.TRUE);
    return false;
  }

  /** The number of keys held. */
  int size() {
    return map.size();
  }
}
