package dev.larder.collect;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A child JVM on a fanout directory opened without a shard count (it reads the stored one).
 * Arguments: {@code dir n}. Checks the parent's keys {@code p0..p(n-1)}, writes {@code c0..c(n-1)},
 * prints {@code SHARDS k}, {@code BAD ...} for each wrong read and {@code DONE}.
 */
public final class FanoutChild {
  public static void main(String[] args) {
    int n = Integer.parseInt(args[1]);
    try (FanoutCache<String, byte[]> cache = FanoutCache.builder(Path.of(args[0])).open()) {
      System.out.println("SHARDS " + cache.shardCount());
      for (int i = 0; i < n; i++) {
        byte[] v = cache.get("p" + i);
        if (v == null || !Arrays.equals(v, ("parent" + i).getBytes(UTF_8))) {
          System.out.println("BAD p" + i + " " + (v == null ? "null" : new String(v, UTF_8)));
        }
      }
      for (int i = 0; i < n; i++) {
        cache.put("c" + i, ("child" + i).getBytes(UTF_8));
      }
    }
    System.out.println("DONE");
  }
}
