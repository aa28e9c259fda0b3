package dev.larder;

import dev.larder.internal.Codecs;
import dev.larder.internal.Store;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The entry point: {@code Larder.builder(dir)...open()}.
 *
 * <pre>{@code
 * try (Cache<String, byte[]> cache = Larder.builder(Path.of("/var/cache/myapp")).open()) {
 *   cache.put("greeting", "hello".getBytes(UTF_8), Duration.ofHours(1));
 *   byte[] value = cache.get("greeting");
 * }
 * }</pre>
 */
public final class Larder {
  private Larder() {}

  /**
   * A builder for the cache in {@code dir}, which is created if missing. Without codecs the cache
   * is a {@code Cache<String, byte[]>}.
   */
  public static Builder<String, byte[]> builder(Path dir) {
    Objects.requireNonNull(dir, "dir");
    return new Builder<>(dir);
  }

  /**
   * Gives the free pages of the cache in {@code dir} back to the file system: the data file never
   * shrinks by itself (LMDB reuses freed pages but keeps the file), so after {@link Cache#clear()}
   * or a large deletion this is how to get disk space back. It rewrites the live pages into a new
   * file with LMDB's compacting copy and renames it over the old one; entries, settings, counters
   * and value files stay as they were.
   *
   * <p>Every process must have closed the cache: a file cannot shrink under a process that maps
   * it. Processes that open the directory while the compaction runs wait for it to finish. A crash
   * during the compaction leaves the old data file or the complete new one, never a mix. Takes
   * time proportional to the live data; blocks opening any cache in this process meanwhile.
   *
   * @return the sizes before and after
   * @throws IllegalStateException if this or another process has the cache open
   * @throws IllegalArgumentException if {@code dir} is not a cache directory
   * @throws StorageException if the copy cannot be written (the data file is then unchanged)
   */
  public static Compaction compact(Path dir) {
    Objects.requireNonNull(dir, "dir");
    return dev.larder.internal.Compactor.compact(dir);
  }

  /**
   * Configures and opens a cache. Each setter may be called once and checks its argument at once.
   * Not thread-safe.
   *
   * <h2>Settings kept in the directory</h2>
   *
   * {@link #maxSize}, {@link #maxEntries}, {@link #evictionPolicy} and {@link #blobThreshold} are stored in the cache
   * directory and shared by every process. A setter that is called writes its value there when the
   * cache opens; one that is not called keeps the directory's value, or the default for a new
   * cache:
   *
   * <ul>
   *   <li>{@code maxSize}. Default: 1 GiB.
   *   <li>{@code maxEntries}. Default: no limit.
   *   <li>{@code evictionPolicy}. Default: {@link EvictionPolicy#S3_FIFO}.
   *   <li>{@code blobThreshold}. Default: 32 KiB.
   * </ul>
   *
   * <h2>Settings of this process</h2>
   *
   * {@link #durability} (default {@link Durability#PROCESS}), {@link #clock} (default the system
   * clock), the codecs (default {@link Codec#string()} keys and {@link Codec#bytes()} values) and
   * {@link #initialMapSize} apply to the handle being opened only.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public static final class Builder<K, V> {
    /** The smallest size limit accepted. */
    public static final long MIN_MAX_SIZE = 4096;
    /** The largest size limit accepted: 4 TiB, the largest data file. */
    public static final long MAX_MAX_SIZE = 1L << 42;

    private final Path dir;
    private Long maxSize;
    private Long maxEntries;
    private EvictionPolicy policy;
    private Integer blobThreshold;
    private Durability durability;
    private InstantSource clock;
    private Codec<?> keyCodec;
    private Codec<?> valueCodec;
    private long initialMapSize;

    private Builder(Path dir) {
      this.dir = dir;
    }

    private static void requireUnset(Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }

    /**
     * The size limit in bytes: the most that {@link Cache#volume()} may reach before entries are
     * evicted (or, under {@link EvictionPolicy#NONE}, writes refused). Stored in the directory.
     *
     * @throws IllegalArgumentException if not between 4 KiB and 4 TiB
     */
    public Builder<K, V> maxSize(long bytes) {
      requireUnset(maxSize, "maxSize");
      if (bytes < MIN_MAX_SIZE || bytes > MAX_MAX_SIZE) {
        throw new IllegalArgumentException(
            "maxSize must be between " + MIN_MAX_SIZE + " and " + MAX_MAX_SIZE + " bytes, got " + bytes);
      }
      this.maxSize = bytes;
      return this;
    }

    /**
     * The entry limit: the most entries {@link Cache#size()} may reach before entries are evicted
     * (or, under {@link EvictionPolicy#NONE}, writes refused). Stored in the directory.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder<K, V> maxEntries(long entries) {
      requireUnset(maxEntries, "maxEntries");
      if (entries < 1) {
        throw new IllegalArgumentException("maxEntries must be positive, got " + entries);
      }
      this.maxEntries = entries;
      return this;
    }

    /** The eviction policy. Stored in the directory. */
    public Builder<K, V> evictionPolicy(EvictionPolicy policy) {
      requireUnset(this.policy, "evictionPolicy");
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Values of this many bytes or more are kept in files of their own. Stored in the directory.
     *
     * @throws IllegalArgumentException if not between 512 bytes and 1 GiB
     */
    public Builder<K, V> blobThreshold(int bytes) {
      requireUnset(blobThreshold, "blobThreshold");
      if (bytes < 512 || bytes > (1 << 30)) {
        throw new IllegalArgumentException("blobThreshold must be between 512 and " + (1 << 30) + " bytes, got " + bytes);
      }
      this.blobThreshold = bytes;
      return this;
    }

    /** What a committed write survives; see {@link Durability}. */
    public Builder<K, V> durability(Durability durability) {
      requireUnset(this.durability, "durability");
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * The clock for store and expiry times. Every process sharing a directory should use the same
     * wall clock; a manual clock is for tests.
     */
    public Builder<K, V> clock(InstantSource clock) {
      requireUnset(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The key codec. */
    @SuppressWarnings("unchecked")
    public <K2> Builder<K2, V> keyCodec(Codec<K2> codec) {
      requireUnset(keyCodec, "keyCodec");
      checkTag(codec);
      this.keyCodec = codec;
      return (Builder<K2, V>) this;
    }

    /** The value codec. */
    @SuppressWarnings("unchecked")
    public <V2> Builder<K, V2> valueCodec(Codec<V2> codec) {
      requireUnset(valueCodec, "valueCodec");
      checkTag(codec);
      this.valueCodec = codec;
      return (Builder<K, V2>) this;
    }

    private static void checkTag(Codec<?> codec) {
      Objects.requireNonNull(codec, "codec");
      if (codec.tag() < 1 || codec.tag() > 127) {
        throw new IllegalArgumentException("a codec's tag must be in 1..127, got " + codec.tag() + " from " + codec);
      }
    }

    /**
     * The memory map reserved when the directory is opened, in bytes: virtual address space, not
     * disk. It grows by doubling when full, so this only matters for tests of that growth and for
     * avoiding remaps in very large caches. Default: 1 GiB.
     *
     * @throws IllegalArgumentException if not between 64 KiB and 4 TiB
     */
    public Builder<K, V> initialMapSize(long bytes) {
      if (initialMapSize != 0) {
        throw new IllegalStateException("initialMapSize was already set to " + initialMapSize);
      }
      if (bytes < 64 * 1024 || bytes > MAX_MAX_SIZE) {
        throw new IllegalArgumentException("initialMapSize must be between 65536 and " + MAX_MAX_SIZE + ", got " + bytes);
      }
      this.initialMapSize = bytes;
      return this;
    }

    /**
     * Opens the cache, creating the directory and the cache in it if needed.
     *
     * @throws IllegalArgumentException if {@code dir} is a file, or a non-empty directory that is
     *     not a Larder cache
     * @throws CorruptionException if the data file is damaged, truncated, not an LMDB file, or of
     *     another format version; the message names the file
     * @throws StorageException if the directory cannot be created or opened
     * @throws IllegalStateException if this process already has the directory open with another
     *     durability
     */
    @SuppressWarnings("unchecked")
    public Cache<K, V> open() {
      Store store = Store.acquire(dir, new Store.OpenOptions(
          durability != null ? durability : Durability.PROCESS, initialMapSize, maxSize, maxEntries, policy,
          blobThreshold));
      Codec<K> keys = (Codec<K>) (keyCodec != null ? keyCodec : Codecs.STRING);
      Codec<V> values = (Codec<V>) (valueCodec != null ? valueCodec : Codecs.BYTES);
      return new LarderCache<>(store, keys, values, clock != null ? clock : InstantSource.system());
    }
  }
}
