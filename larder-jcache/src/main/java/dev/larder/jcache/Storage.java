package dev.larder.jcache;

import dev.larder.Cache;
import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import dev.larder.Larder;
import dev.larder.Namespace;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * The Larder side of one JCache cache: the directory and namespace of its entries, the handle that
 * reads and writes them as bytes, and, on request, a handle with the cache's own types for {@code
 * unwrap}. Thread-safe.
 */
final class Storage implements AutoCloseable {
  private final Path directory;
  private final String namespace;
  private final Durability durability;
  private final InstantSource clock;
  private final Cache<byte[], byte[]> ownHandle;
  private final Namespace<byte[], byte[]> entries;
  private final Serializer serializer;
  private Cache<Object, Object> objects;

  /**
   * @param handle the byte handle of the directory
   * @param owned whether closing this storage closes {@code handle} (a cache with its own directory)
   */
  Storage(Path directory, String namespace, Durability durability, InstantSource clock, Cache<byte[], byte[]> handle,
      boolean owned, Serializer serializer) {
    this.directory = directory;
    this.namespace = namespace;
    this.durability = durability;
    this.clock = clock;
    this.ownHandle = owned ? handle : null;
    this.entries = EntryStore.call(() -> handle.namespace(namespace));
    this.serializer = serializer;
  }

  /**
   * Opens the byte handle of a directory, setting those directory settings that are given
   * ({@code null} keeps the directory's own or Larder's default).
   */
  static Cache<byte[], byte[]> open(Path directory, Long maxSize, Long maxEntries, EvictionPolicy policy,
      Durability durability, InstantSource clock) {
    return EntryStore.call(() -> {
      Larder.Builder<byte[], byte[]> b = Larder.builder(directory).keyCodec(RawCodec.INSTANCE).valueCodec(RawCodec.INSTANCE);
      if (maxSize != null) {
        b.maxSize(maxSize);
      }
      if (maxEntries != null) {
        b.maxEntries(maxEntries);
      }
      if (policy != null) {
        b.evictionPolicy(policy);
      }
      b.durability(durability).clock(clock);
      return b.open();
    });
  }

  Namespace<byte[], byte[]> entries() {
    return entries;
  }

  Path directory() {
    return directory;
  }

  boolean hasOwnDirectory() {
    return ownHandle != null;
  }

  /** The cache's entries as a Larder namespace of its own key and value objects. */
  synchronized Namespace<Object, Object> objects() {
    if (objects == null) {
      objects = EntryStore.call(() -> Larder.builder(directory).durability(durability).clock(clock)
          .keyCodec(serializer).valueCodec(serializer).open());
    }
    return EntryStore.call(() -> objects.namespace(namespace));
  }

  /**
   * Entries evicted from the cache's own directory so far, counted by every process; 0 for a cache
   * in a shared directory, whose evictions Larder counts for the whole directory.
   */
  long evictions() {
    return ownHandle == null ? 0 : EntryStore.call(() -> ownHandle.stats().evictions());
  }

  @Override
  public synchronized void close() {
    if (objects != null) {
      objects.close();
      objects = null;
    }
    if (ownHandle != null) {
      ownHandle.close();
    }
  }
}
