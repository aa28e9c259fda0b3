package dev.larder.internal;

import dev.larder.EvictionPolicy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings kept in the directory, shared by every process: stored as {@code name=value} lines
 * under the {@code settings} key of the {@code meta} database, so that a newer version can add
 * settings and a person can read them.
 *
 * @param maxSize the size limit in bytes (see {@code Cache.volume()})
 * @param maxEntries the entry limit ({@link Long#MAX_VALUE} for none)
 * @param policy the eviction policy
 * @param blobThreshold values of this many bytes or more go to files of their own
 */
public record Settings(long maxSize, long maxEntries, EvictionPolicy policy, int blobThreshold) {
  public static final long DEFAULT_MAX_SIZE = 1L << 30;
  public static final long DEFAULT_MAX_ENTRIES = Long.MAX_VALUE;
  public static final EvictionPolicy DEFAULT_POLICY = EvictionPolicy.S3_FIFO;
  public static final int DEFAULT_BLOB_THRESHOLD = 32 * 1024;

  public static final Settings DEFAULTS =
      new Settings(DEFAULT_MAX_SIZE, DEFAULT_MAX_ENTRIES, DEFAULT_POLICY, DEFAULT_BLOB_THRESHOLD);

  public byte[] encode() {
    String text = "maxSize=" + maxSize + "\nmaxEntries=" + maxEntries + "\npolicy=" + policy.name()
        + "\nblobThreshold=" + blobThreshold + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Parses settings; missing names take their defaults. */
  public static Settings decode(byte[] bytes) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    try {
      long maxSize = Long.parseLong(values.getOrDefault("maxSize", Long.toString(DEFAULT_MAX_SIZE)));
      long maxEntries = Long.parseLong(values.getOrDefault("maxEntries", Long.toString(DEFAULT_MAX_ENTRIES)));
      EvictionPolicy policy = EvictionPolicy.valueOf(values.getOrDefault("policy", DEFAULT_POLICY.name()));
      int threshold = Integer.parseInt(
          values.getOrDefault("blobThreshold", Integer.toString(DEFAULT_BLOB_THRESHOLD)));
      return new Settings(maxSize, maxEntries, policy, threshold);
    } catch (IllegalArgumentException e) {
      throw new dev.larder.CorruptionException(null, -1, "unreadable settings record: " + values);
    }
  }

  /** These settings with the non-null overrides applied. */
  public Settings with(Long maxSize, Long maxEntries, EvictionPolicy policy, Integer blobThreshold) {
    return new Settings(
        maxSize != null ? maxSize : this.maxSize,
        maxEntries != null ? maxEntries : this.maxEntries,
        policy != null ? policy : this.policy,
        blobThreshold != null ? blobThreshold : this.blobThreshold);
  }
}
