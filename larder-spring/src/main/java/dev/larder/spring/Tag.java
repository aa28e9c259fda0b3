package dev.larder.spring;

import dev.larder.Put;
import java.util.Objects;

/**
 * A tag where Spring expects a cache key: evicting it removes every entry that carries the tag.
 * Use it in {@code @CacheEvict}:
 *
 * <pre>{@code
 * @CacheEvict(cacheNames = "books", key = "T(dev.larder.spring.Tag).of('author:' + #author)")
 * public void authorChanged(String author) { ... }
 * }</pre>
 *
 * <p>Tags belong to the cache directory, not to one Spring cache: the eviction removes the tagged
 * entries of every cache in the directory, in every process. Entries get their tags from the
 * {@link TagResolver} of their cache (see {@link LarderCacheManager.Builder#tags}). Immutable.
 *
 * @param name the tag, 1 to {@value Put#MAX_TAG_BYTES} bytes of UTF-8
 */
public record Tag(String name) {

  /**
   * Checks the tag.
   *
   * @throws IllegalArgumentException if the tag is empty or too long
   */
  public Tag {
    Objects.requireNonNull(name, "name");
    Put.tags(name); // validates
  }

  /** The tag {@code name}. */
  public static Tag of(String name) {
    return new Tag(name);
  }
}
