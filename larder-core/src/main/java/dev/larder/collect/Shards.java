package dev.larder.collect;

import dev.larder.StorageException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The layout of a fanout directory: {@code fanout.properties} holding the shard count and the hash,
 * and one cache directory per shard, {@code shard-000} to {@code shard-255}.
 *
 * <p>The file is created once, atomically: written to a temporary name and hard-linked to its
 * final name, which fails if another process created it first; the loser then reads the winner's.
 */
final class Shards {
  static final int MAX = 256;
  static final String FILE = "fanout.properties";
  static final String HASH = "crc32c-mod-n";

  private Shards() {}

  static String name(int i) {
    return String.format("shard-%03d", i);
  }

  /**
   * Returns the shard count of {@code dir}, creating the file with {@code requested} (or 8) when it
   * is new.
   *
   * @throws IllegalArgumentException if the stored count differs from {@code requested}, or the
   *     directory holds something else
   */
  static int establish(Path dir, Integer requested) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(FILE);
      if (!Files.exists(file)) {
        if (Files.exists(dir.resolve("data.mdb"))) {
          throw new IllegalArgumentException(dir + " is a plain Larder cache directory, not a fanout cache");
        }
        int n = requested != null ? requested : 8;
        String text = "# Larder fanout cache. Do not edit: every key is routed by these values.\n"
            + "format=1\nshards=" + n + "\nhash=" + HASH + "\n";
        Path tmp = Files.createTempFile(dir, ".fanout", ".tmp");
        try {
          Files.writeString(tmp, text, StandardCharsets.UTF_8);
          try {
            Files.createLink(file, tmp);
          } catch (FileAlreadyExistsException e) {
            // another process created it first: use theirs
          }
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      Properties p = new Properties();
      try (Reader r = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
        p.load(r);
      }
      String hash = p.getProperty("hash");
      if (!HASH.equals(hash)) {
        throw new IllegalArgumentException(file + " names hash '" + hash + "', this version knows only " + HASH);
      }
      int stored;
      try {
        stored = Integer.parseInt(p.getProperty("shards", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(file + " has no valid shard count: '" + p.getProperty("shards") + "'", e);
      }
      if (stored < 1 || stored > MAX) {
        throw new IllegalArgumentException(file + " has an invalid shard count: " + stored);
      }
      if (requested != null && requested != stored) {
        throw new IllegalArgumentException("the fanout cache in " + dir + " was created with " + stored
            + " shards, not " + requested + ": every key would be looked for in the wrong shard");
      }
      return stored;
    } catch (IOException e) {
      throw new StorageException("cannot set up the fanout directory " + dir + ": " + e, e, false);
    }
  }
}
