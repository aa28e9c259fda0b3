package dev.larder.spring;

import java.lang.reflect.Method;

/**
 * Turns Spring cache keys into the strings Larder stores them under. Strings stay as they are;
 * anything else becomes its {@code toString()}, which must be overridden (numbers, enums, UUIDs,
 * dates and Spring's {@code SimpleKey} all do). As with Spring's Redis cache, keys that print the
 * same are the same key: {@code 1} and {@code "1"} meet.
 *
 * <p>Decision: strings rather than serialized keys, so that keys are readable by the {@code larder}
 * command line, the memcached door and other languages, and so that equal keys are equal bytes
 * whatever their class's serialized form holds.
 */
final class CacheKeys {
  private CacheKeys() {}

  static String toKey(Object key) {
    if (key instanceof String) {
      return (String) key;
    }
    if (!overridesToString(key.getClass())) {
      throw new IllegalArgumentException("cannot use a " + key.getClass().getName() + " as a Larder cache key: "
          + "it does not override toString(); give @Cacheable a key expression, or override toString()");
    }
    return key.toString();
  }

  private static boolean overridesToString(Class<?> type) {
    try {
      Method m = type.getMethod("toString");
      return m.getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
