package dev.larder.sim;

import dev.larder.Cache;
import dev.larder.Codec;
import dev.larder.Durability;
import dev.larder.EvictionPolicy;
import dev.larder.Finding;
import dev.larder.Larder;
import dev.larder.stats.CacheStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real persistent Larder cache in a fresh directory of its own, limited by entry count
 * ({@code maxEntries}) under one eviction policy, with a size limit of 8 GiB that never binds.
 * Keys are stored with {@link Codec#int64()}, values are one byte. Each request is a {@code get}
 * and, on a miss, a {@code put}: one read transaction, and one write transaction that also applies
 * the reads noted since the previous write and evicts. {@link #close()} closes the cache and
 * deletes its directory. Not thread-safe (one replay thread); the directory is used by this
 * process only.
 */
final class LarderModel implements CacheModel {
  static final long MAX_SIZE = 8L << 30;
  private static final byte[] VALUE = {1};

  private final Path dir;
  private final long capacity;
  private final Cache<Long, byte[]> cache;

  LarderModel(Path parent, EvictionPolicy policy, int capacity) {
    this.capacity = capacity;
    try {
      Files.createDirectories(parent);
      this.dir = Files.createTempDirectory(parent, "larder-sim-" + policy + "-" + capacity + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a cache directory under " + parent, e);
    }
    this.cache = Larder.builder(dir)
        .keyCodec(Codec.int64())
        .maxEntries(capacity)
        .maxSize(MAX_SIZE)
        .evictionPolicy(policy)
        .durability(Durability.PROCESS)
        .open();
  }

  @Override
  public boolean request(int key) {
    Long k = (long) key;
    if (cache.get(k) != null) {
      return true;
    }
    cache.put(k, VALUE);
    return false;
  }

  /**
   * Compares the cache's own counters with the replay's: hits and misses must agree, no entry may
   * have been deleted other than by eviction, the entry count must be within the limit, and
   * {@code check} must find nothing.
   */
  @Override
  public String verify(long hits, long requests) {
    CacheStats s = cache.stats();
    StringBuilder problems = new StringBuilder();
    if (s.hits() != hits || s.misses() != requests - hits) {
      problems.append("stats count ").append(s.hits()).append(" hits and ").append(s.misses())
          .append(" misses, the replay ").append(hits).append(" and ").append(requests - hits).append("; ");
    }
    if (s.count() > capacity) {
      problems.append("holds ").append(s.count()).append(" entries, over maxEntries ").append(capacity).append("; ");
    }
    if (s.puts() - s.evictions() != s.count()) {
      problems.append(s.puts()).append(" puts - ").append(s.evictions()).append(" evictions != ")
          .append(s.count()).append(" entries; ");
    }
    List<Finding> findings = cache.check(false);
    if (!findings.isEmpty()) {
      problems.append("check() found ").append(findings).append("; ");
    }
    return problems.length() == 0 ? null : problems.toString();
  }

  @Override
  public void close() {
    try {
      cache.close();
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
