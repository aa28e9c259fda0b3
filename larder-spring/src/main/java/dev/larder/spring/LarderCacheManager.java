package dev.larder.spring;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import dev.larder.Put;
import java.io.ObjectInputFilter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} over one Larder directory: each Spring cache is a Larder namespace
 * there, so results cached by {@code @Cacheable} survive restarts and are shared by every process
 * that opens the directory. Thread-safe.
 *
 * <pre>{@code
 * @Bean
 * LarderCacheManager cacheManager() {
 *   return LarderCacheManager.builder(Path.of("/var/cache/myapp"))
 *       .serialFilter("com.example.**;java.base/*;!*")
 *       .ttl("books", Duration.ofHours(1))
 *       .tags("books", (key, book) -> Set.of("author:" + ((Book) book).author()))
 *       .build();
 * }
 * }</pre>
 *
 * <h2>Caches</h2>
 *
 * Caches are made on first use, for any name, unless {@link Builder#cacheNames} fixes the set.
 * Each lives in the namespace {@code spring:<name>}; {@code @CacheEvict(allEntries = true)} makes
 * the namespace's entries unreachable in one small write. Evicting a {@link Tag} from any cache
 * ({@code @CacheEvict(key = "T(dev.larder.spring.Tag).of('author:' + #author)")}) or calling
 * {@link #evictTag} removes the tagged entries of every cache of the directory.
 *
 * <h2>Keys and values</h2>
 *
 * Keys are stored as strings: a key that is not a string must override {@code toString()}, as
 * numbers, enums and Spring's {@code SimpleKey} do, and keys that print the same are one key.
 * Values are stored by Java serialization, limited by a serialization filter that is checked when
 * a value is written and when it is read: by default only the JDK's own classes pass, so name your
 * packages with {@link Builder#serialFilter}. A {@code null} result is cached as Spring's
 * {@code NullValue} unless {@link Builder#allowNullValues} is off.
 *
 * <h2>Across processes</h2>
 *
 * Every process that builds a manager on the same directory sees the same entries. Each process
 * applies its own times to live and tag resolvers to the entries it writes. A put that returned
 * survives the death of the process ({@code kill -9} included), and a power loss too with {@link
 * Durability#SYNC}; with the default {@link Durability#PROCESS} a power loss may lose the last
 * second of writes. Closing the manager (Spring does it when the context closes) flushes the
 * directory to disk.
 */
public final class LarderCacheManager implements CacheManager, AutoCloseable {
  private final Cache<String, Object> larder;
  private final Duration defaultTtl;
  private final Map<String, Duration> ttls;
  private final TagResolver defaultTags;
  private final Map<String, TagResolver> tags;
  private final boolean allowNullValues;
  private final Set<String> fixedNames;
  private final ConcurrentMap<String, LarderSpringCache> caches = new ConcurrentHashMap<>();

  private LarderCacheManager(Builder b, Cache<String, Object> larder) {
    this.larder = larder;
    this.defaultTtl = b.defaultTtl;
    this.ttls = Map.copyOf(b.ttls);
    this.defaultTags = b.defaultTags;
    this.tags = Map.copyOf(b.tags);
    this.allowNullValues = b.allowNullValues;
    this.fixedNames = b.cacheNames == null ? null : Set.copyOf(b.cacheNames);
    if (fixedNames != null) {
      fixedNames.forEach(this::getCache);
    }
  }

  /** A builder for a manager over the cache directory {@code directory}, created if missing. */
  public static Builder builder(Path directory) {
    return new Builder(Objects.requireNonNull(directory, "directory"));
  }

  /**
   * The cache named {@code name}, made on first use; {@code null} if the manager has a fixed set of
   * names without this one.
   */
  @Override
  public LarderSpringCache getCache(String name) {
    Objects.requireNonNull(name, "name");
    LarderSpringCache cache = caches.get(name);
    if (cache != null || (fixedNames != null && !fixedNames.contains(name))) {
      return cache;
    }
    return caches.computeIfAbsent(name, n -> new LarderSpringCache(n, larder.namespace(namespaceOf(n)),
        ttls.getOrDefault(n, defaultTtl), tags.getOrDefault(n, defaultTags), allowNullValues));
  }

  /** The Larder namespace of a Spring cache: {@code spring:<name>}, or a hash of a very long name. */
  static String namespaceOf(String cacheName) {
    if (!cacheName.isEmpty() && cacheName.getBytes(StandardCharsets.UTF_8).length <= 190) {
      return "spring:" + cacheName;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(cacheName.getBytes(StandardCharsets.UTF_8));
      return "spring#" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The names of the caches made so far (or of the fixed set). */
  @Override
  public Collection<String> getCacheNames() {
    return fixedNames != null ? fixedNames : Set.copyOf(caches.keySet());
  }

  /**
   * Removes every entry carrying {@code tag}, in every cache of the directory and for every process.
   *
   * @return the number of entries removed
   */
  public long evictTag(String tag) {
    return larder.evictTag(tag);
  }

  /** The Larder cache of the whole directory: statistics, {@code check}, and the other namespaces. */
  public Cache<String, Object> getLarder() {
    return larder;
  }

  /** Flushes and closes the directory. Spring calls this when the application context closes. */
  @Override
  public void close() {
    larder.close();
  }

  @Override
  public String toString() {
    return "LarderCacheManager[" + larder.directory() + "]";
  }

  /**
   * Configures a {@link LarderCacheManager}. Not thread-safe.
   *
   * <p>The directory settings ({@link #maxSize}, {@link #maxEntries}, {@link #evictionPolicy}) are
   * stored in the directory and shared by every process, as {@link Larder.Builder} describes;
   * unset, the directory keeps its own or Larder's defaults.
   */
  public static final class Builder {
    private final Path directory;
    private Long maxSize;
    private Long maxEntries;
    private EvictionPolicy evictionPolicy;
    private Durability durability = Durability.PROCESS;
    private InstantSource clock = InstantSource.system();
    private String serialFilter = SerializingCodec.DEFAULT_FILTER;
    private ClassLoader classLoader;
    private Duration defaultTtl;
    private final Map<String, Duration> ttls = new HashMap<>();
    private TagResolver defaultTags = TagResolver.NONE;
    private final Map<String, TagResolver> tags = new HashMap<>();
    private boolean allowNullValues = true;
    private Set<String> cacheNames;

    private Builder(Path directory) {
      this.directory = directory;
    }

    /** The size limit of the directory in bytes; see {@link Larder.Builder#maxSize}. */
    public Builder maxSize(long bytes) {
      this.maxSize = bytes;
      return this;
    }

    /** The entry limit of the directory; see {@link Larder.Builder#maxEntries}. */
    public Builder maxEntries(long entries) {
      this.maxEntries = entries;
      return this;
    }

    /** The eviction policy of the directory. */
    public Builder evictionPolicy(EvictionPolicy policy) {
      this.evictionPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** What a committed write survives. Default: {@link Durability#PROCESS}. */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /** The clock for store and expiry times; for tests. Default: the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The serialization filter for values, in the syntax of {@code jdk.serialFilter}, replacing the
     * default {@value SerializingCodec#DEFAULT_FILTER}: for example {@code
     * "com.example.**;java.base/*;!*"}. Checked when a value is written and when it is read.
     *
     * @throws IllegalArgumentException if the pattern is malformed
     */
    public Builder serialFilter(String pattern) {
      ObjectInputFilter.Config.createFilter(Objects.requireNonNull(pattern, "pattern")); // validates
      this.serialFilter = pattern;
      return this;
    }

    /** The class loader for reading values. Default: the thread's context class loader at build time. */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** The time to live of entries of caches without one of their own. Default: none. */
    public Builder defaultTtl(Duration ttl) {
      Put.ttl(ttl); // validates
      this.defaultTtl = ttl;
      return this;
    }

    /** The time to live of the entries of cache {@code cacheName}. */
    public Builder ttl(String cacheName, Duration ttl) {
      Put.ttl(ttl); // validates
      ttls.put(Objects.requireNonNull(cacheName, "cacheName"), ttl);
      return this;
    }

    /** The tags of the entries of caches without a resolver of their own. Default: none. */
    public Builder defaultTags(TagResolver resolver) {
      this.defaultTags = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** The tags of the entries of cache {@code cacheName}. */
    public Builder tags(String cacheName, TagResolver resolver) {
      tags.put(Objects.requireNonNull(cacheName, "cacheName"), Objects.requireNonNull(resolver, "resolver"));
      return this;
    }

    /** Whether {@code null} results are cached. Default: true. */
    public Builder allowNullValues(boolean allow) {
      this.allowNullValues = allow;
      return this;
    }

    /** Fixes the set of caches: {@code getCache} of another name returns {@code null}. */
    public Builder cacheNames(String... names) {
      this.cacheNames = new LinkedHashSet<>(List.of(names));
      return this;
    }

    /**
     * Opens the directory and builds the manager.
     *
     * @throws IllegalArgumentException if a directory setting is out of range
     * @throws dev.larder.LarderException if the directory cannot be opened
     */
    public LarderCacheManager build() {
      ClassLoader loader = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
      Codec<Object> values = new SerializingCodec(serialFilter, loader != null ? loader : getClass().getClassLoader());
      Larder.Builder<String, Object> b = Larder.builder(directory).valueCodec(values).durability(durability).clock(clock);
      if (maxSize != null) {
        b.maxSize(maxSize);
      }
      if (maxEntries != null) {
        b.maxEntries(maxEntries);
      }
      if (evictionPolicy != null) {
        b.evictionPolicy(evictionPolicy);
      }
      Cache<String, Object> larder = b.open();
      try {
        return new LarderCacheManager(this, larder);
      } catch (RuntimeException e) {
        larder.close();
        throw e;
      }
    }
  }
}
