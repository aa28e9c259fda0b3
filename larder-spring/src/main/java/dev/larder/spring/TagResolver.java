package dev.larder.spring;

import java.util.Set;

/**
 * Says which tags an entry carries, from its key and value, when the entry is stored: for example
 * {@code (key, value) -> Set.of("author:" + ((Book) value).author())}. Called on the thread that
 * stores the entry; must be thread-safe and quick.
 */
@FunctionalInterface
public interface TagResolver {
  /** No tags. */
  TagResolver NONE = (key, value) -> Set.of();

  /**
   * The tags of an entry.
   *
   * @param key the key as Spring gave it (before conversion to a string)
   * @param value the value, or {@code null} for a cached {@code null}
   * @return the tags, possibly empty; each 1 to 250 bytes of UTF-8, at most 64
   */
  Set<String> tags(Object key, Object value);
}
