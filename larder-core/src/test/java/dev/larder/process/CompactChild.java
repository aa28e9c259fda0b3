package dev.larder.process;

import dev.larder.Cache;
import dev.larder.Compaction;
import dev.larder.Larder;
import java.nio.file.Path;

/**
 * A child for {@link CompactTest}: {@code hold DIR MARKER} opens the cache and keeps it open until
 * the file MARKER exists; {@code compact DIR} compacts it (and may be killed while it does).
 */
public final class CompactChild {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "hold" -> {
        try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
          System.out.println("OPEN " + cache.size());
          System.out.flush();
          Path marker = Path.of(args[2]);
          while (!java.nio.file.Files.exists(marker)) {
            Thread.sleep(10);
          }
        }
      }
      case "compact" -> {
        System.out.println("COMPACTING");
        System.out.flush();
        Compaction c = Larder.compact(dir);
        System.out.println("COMPACTED " + c.bytesBefore() + " " + c.bytesAfter());
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.flush();
  }
}
