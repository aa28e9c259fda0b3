package dev.larder.jcache;

import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import dev.larder.Put;
import java.io.ObjectInputFilter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * A JCache configuration with Larder's own options. Pass it to {@link
 * javax.cache.CacheManager#createCache} like any {@link MutableConfiguration}:
 *
 * <pre>{@code
 * Cache<String, Order> orders = manager.createCache("orders",
 *     new LarderConfiguration<String, Order>()
 *         .setTypes(String.class, Order.class)
 *         .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR))
 *         .setMaxEntries(100_000)
 *         .setTags("orders"));
 * }</pre>
 *
 * <h2>Directory settings</h2>
 *
 * Larder keeps its size limit, entry limit and eviction policy per directory, and durability per
 * opened directory. A cache that sets any of {@link #setMaxSize}, {@link #setMaxEntries}, {@link
 * #setEvictionPolicy} or {@link #setDurability} therefore gets a directory of its own, {@code
 * caches/<name>} under the cache manager's directory; other caches share the manager's directory,
 * whose settings come from the cache manager's properties (see {@link LarderCachingProvider}).
 * Once a cache has its own directory, every process that opens the cache uses it, whatever its
 * configuration says.
 *
 * <h2>Other settings</h2>
 *
 * <ul>
 *   <li>{@link #setTags}: tags stored with every entry of the cache, so that {@code
 *       cache.unwrap(dev.larder.Cache.class).evictTag(tag)} removes them (from every cache of the
 *       directory that carries the tag).
 *   <li>{@link #setSerialFilter}: a serialization filter for reading keys and values.
 * </ul>
 *
 * <p>Store-by-reference is not supported: a cache on disk copies every key and value.
 *
 * <p>Not thread-safe while being built, like {@link MutableConfiguration}. The configuration a
 * cache returns from {@code getConfiguration} is an immutable copy: its setters throw {@link
 * UnsupportedOperationException}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class LarderConfiguration<K, V> extends MutableConfiguration<K, V> {
  private static final long serialVersionUID = 1L;

  private Long maxSize;
  private Long maxEntries;
  private EvictionPolicy evictionPolicy;
  private Durability durability;
  private Set<String> tags = Set.of();
  private String serialFilter;
  private boolean frozen;

  /** A configuration with JCache's defaults and no Larder settings. */
  public LarderConfiguration() {}

  /** A copy of {@code configuration}, including its Larder settings if it is a {@code LarderConfiguration}. */
  public LarderConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof LarderConfiguration) {
      LarderConfiguration<K, V> other = (LarderConfiguration<K, V>) configuration;
      this.maxSize = other.maxSize;
      this.maxEntries = other.maxEntries;
      this.evictionPolicy = other.evictionPolicy;
      this.durability = other.durability;
      this.tags = other.tags;
      this.serialFilter = other.serialFilter;
    }
  }

  /** A mutable copy of any configuration: a complete one in full, a plain one's types and store-by-value flag. */
  static <K, V> LarderConfiguration<K, V> copyOf(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration) {
      return new LarderConfiguration<>((CompleteConfiguration<K, V>) configuration);
    }
    LarderConfiguration<K, V> c = new LarderConfiguration<>();
    c.setTypes(configuration.getKeyType(), configuration.getValueType());
    c.setStoreByValue(configuration.isStoreByValue());
    return c;
  }

  /** An immutable copy of this configuration. */
  LarderConfiguration<K, V> frozenCopy() {
    LarderConfiguration<K, V> c = new LarderConfiguration<>(this);
    c.frozen = true;
    return c;
  }

  private void checkMutable() {
    if (frozen) {
      throw new UnsupportedOperationException("a cache's configuration cannot be changed through getConfiguration");
    }
  }

  // ---- Larder settings -------------------------------------------------------------------------

  /**
   * The size limit of the cache's own directory, in bytes (see {@link
   * Larder.Builder#maxSize}). Gives the cache its own directory.
   *
   * @throws IllegalArgumentException if not between 4 KiB and 4 TiB
   */
  public LarderConfiguration<K, V> setMaxSize(long bytes) {
    checkMutable();
    if (bytes < Larder.Builder.MIN_MAX_SIZE || bytes > Larder.Builder.MAX_MAX_SIZE) {
      throw new IllegalArgumentException("maxSize must be between " + Larder.Builder.MIN_MAX_SIZE + " and "
          + Larder.Builder.MAX_MAX_SIZE + " bytes, got " + bytes);
    }
    this.maxSize = bytes;
    return this;
  }

  /** The size limit, if set. */
  public OptionalLong getMaxSize() {
    return maxSize == null ? OptionalLong.empty() : OptionalLong.of(maxSize);
  }

  /**
   * The entry limit of the cache's own directory (see {@link Larder.Builder#maxEntries}). Gives the
   * cache its own directory.
   *
   * @throws IllegalArgumentException if not positive
   */
  public LarderConfiguration<K, V> setMaxEntries(long entries) {
    checkMutable();
    if (entries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive, got " + entries);
    }
    this.maxEntries = entries;
    return this;
  }

  /** The entry limit, if set. */
  public OptionalLong getMaxEntries() {
    return maxEntries == null ? OptionalLong.empty() : OptionalLong.of(maxEntries);
  }

  /** The eviction policy of the cache's own directory. Gives the cache its own directory. */
  public LarderConfiguration<K, V> setEvictionPolicy(EvictionPolicy policy) {
    checkMutable();
    this.evictionPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** The eviction policy, if set. */
  public Optional<EvictionPolicy> getEvictionPolicy() {
    return Optional.ofNullable(evictionPolicy);
  }

  /**
   * What a committed write survives (see {@link Durability}). Gives the cache its own directory;
   * Larder sets durability per opened directory.
   */
  public LarderConfiguration<K, V> setDurability(Durability durability) {
    checkMutable();
    this.durability = Objects.requireNonNull(durability, "durability");
    return this;
  }

  /** The durability, if set. */
  public Optional<Durability> getDurability() {
    return Optional.ofNullable(durability);
  }

  /** Whether these settings give the cache a directory of its own. */
  public boolean hasOwnDirectory() {
    return maxSize != null || maxEntries != null || evictionPolicy != null || durability != null;
  }

  /**
   * Tags stored with every entry written through the cache, replacing any set before.
   *
   * @throws IllegalArgumentException if a tag is empty or longer than {@value Put#MAX_TAG_BYTES}
   *     bytes of UTF-8, or there are more than {@value Put#MAX_TAGS}
   */
  public LarderConfiguration<K, V> setTags(String... tags) {
    checkMutable();
    Set<String> set = new LinkedHashSet<>(Arrays.asList(Objects.requireNonNull(tags, "tags")));
    Put.DEFAULT.withTags(set); // validates
    this.tags = Collections.unmodifiableSet(set);
    return this;
  }

  /** The tags of every entry, possibly empty. */
  public Set<String> getTags() {
    return tags;
  }

  /**
   * A serialization filter applied when keys and values are read, in the syntax of {@code
   * jdk.serialFilter} (for example {@code "com.example.**;java.base/*;!*"}), on top of the JVM-wide
   * filter. Anyone who can write to the cache directory can make this JVM deserialize what they
   * wrote; restrict the directory's permissions, and name the classes you store here.
   *
   * @throws IllegalArgumentException if the pattern is malformed
   */
  public LarderConfiguration<K, V> setSerialFilter(String pattern) {
    checkMutable();
    ObjectInputFilter.Config.createFilter(Objects.requireNonNull(pattern, "pattern")); // validates
    this.serialFilter = pattern;
    return this;
  }

  /** The serialization filter pattern, if set. */
  public Optional<String> getSerialFilter() {
    return Optional.ofNullable(serialFilter);
  }

  // ---- JCache settings, overridden to return this type and to refuse changes when frozen ------

  @Override
  public LarderConfiguration<K, V> setTypes(Class<K> keyType, Class<V> valueType) {
    checkMutable();
    super.setTypes(keyType, valueType);
    return this;
  }

  @Override
  public Iterable<CacheEntryListenerConfiguration<K, V>> getCacheEntryListenerConfigurations() {
    Iterable<CacheEntryListenerConfiguration<K, V>> all = super.getCacheEntryListenerConfigurations();
    return frozen ? Collections.unmodifiableSet(listenerConfigurations) : all;
  }

  @Override
  public LarderConfiguration<K, V> addCacheEntryListenerConfiguration(
      CacheEntryListenerConfiguration<K, V> configuration) {
    checkMutable();
    super.addCacheEntryListenerConfiguration(configuration);
    return this;
  }

  @Override
  public LarderConfiguration<K, V> removeCacheEntryListenerConfiguration(
      CacheEntryListenerConfiguration<K, V> configuration) {
    checkMutable();
    super.removeCacheEntryListenerConfiguration(configuration);
    return this;
  }

  @Override
  public LarderConfiguration<K, V> setCacheLoaderFactory(Factory<? extends CacheLoader<K, V>> factory) {
    checkMutable();
    super.setCacheLoaderFactory(factory);
    return this;
  }

  @Override
  public LarderConfiguration<K, V> setCacheWriterFactory(
      Factory<? extends CacheWriter<? super K, ? super V>> factory) {
    checkMutable();
    super.setCacheWriterFactory(factory);
    return this;
  }

  @Override
  public LarderConfiguration<K, V> setExpiryPolicyFactory(Factory<? extends ExpiryPolicy> factory) {
    checkMutable();
    super.setExpiryPolicyFactory(factory);
    return this;
  }

  @Override
  public LarderConfiguration<K, V> setReadThrough(boolean isReadThrough) {
    checkMutable();
    super.setReadThrough(isReadThrough);
    return this;
  }

  @Override
  public LarderConfiguration<K, V> setWriteThrough(boolean isWriteThrough) {
    checkMutable();
    super.setWriteThrough(isWriteThrough);
    return this;
  }

  @Override
  public LarderConfiguration<K, V> setStoreByValue(boolean isStoreByValue) {
    checkMutable();
    super.setStoreByValue(isStoreByValue);
    return this;
  }

  @Override
  public LarderConfiguration<K, V> setStatisticsEnabled(boolean enabled) {
    checkMutable();
    super.setStatisticsEnabled(enabled);
    return this;
  }

  @Override
  public LarderConfiguration<K, V> setManagementEnabled(boolean enabled) {
    checkMutable();
    super.setManagementEnabled(enabled);
    return this;
  }

  /** Changes the statistics flag of the cache's own configuration (CacheManager#enableStatistics). */
  void statisticsEnabled(boolean enabled) {
    isStatisticsEnabled = enabled;
  }

  /** Changes the management flag of the cache's own configuration (CacheManager#enableManagement). */
  void managementEnabled(boolean enabled) {
    isManagementEnabled = enabled;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LarderConfiguration) || !super.equals(o)) {
      return false;
    }
    LarderConfiguration<?, ?> other = (LarderConfiguration<?, ?>) o;
    return Objects.equals(maxSize, other.maxSize) && Objects.equals(maxEntries, other.maxEntries)
        && evictionPolicy == other.evictionPolicy && durability == other.durability && tags.equals(other.tags)
        && Objects.equals(serialFilter, other.serialFilter);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Objects.hash(maxSize, maxEntries, evictionPolicy, durability, tags, serialFilter);
  }
}
