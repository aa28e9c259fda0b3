package dev.larder.collect;

import dev.larder.Codec;
import java.nio.file.Path;
import java.util.Map;

/**
 * A child JVM working on the index {@code ix} of {@code dir}. Arguments: {@code dir mode id n}.
 * {@code claim}: putIfAbsent(k, id) for k in 0..n-1, printing {@code WON k} for each it stored.
 * {@code poll}: pollFirst until empty, printing {@code GOT k}. Then prints {@code DONE}.
 */
public final class IndexChild {
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String mode = args[1];
    String id = args[2];
    int n = Integer.parseInt(args[3]);
    StringBuilder out = new StringBuilder();
    try (PersistentIndex<Long, String> idx =
        PersistentIndex.builder(dir, Codec.int64(), Codec.string()).name("ix").open()) {
      System.out.println("READY");
      if (mode.equals("claim")) {
        for (long k = 0; k < n; k++) {
          if (idx.putIfAbsent(k, id) == null) {
            out.append("WON ").append(k).append('\n');
          }
        }
      } else {
        Map.Entry<Long, String> e;
        while ((e = idx.pollFirst()) != null) {
          out.append("GOT ").append(e.getKey()).append('\n');
        }
      }
    }
    System.out.print(out);
    System.out.println("DONE");
  }
}
