package dev.larder.process;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.Put;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A child JVM for {@link CrashTest}: writes forever and reports every write before it starts
 * ({@code BEGIN}) and after it returned ({@code ACK}), until it is killed. Operations: put of a new
 * key, overwrite and delete of an older key, and a three-key {@code putAll}. Values are {@link
 * Values#numbered}, so the parent can recompute them.
 *
 * <p>Lines: {@code BEGIN <op> <n> <key>[,<key>...]} and {@code ACK <n>}, where {@code op} is
 * {@code put}, {@code del} or {@code all}, and {@code n} numbers the operation (and the value).
 *
 * <p>Arguments: directory, first operation number, seed.
 */
public final class CrashChild {
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long n = Long.parseLong(args[1]);
    Random r = new Random(Long.parseLong(args[2]));
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
    try (Cache<String, byte[]> cache = Larder.builder(dir).blobThreshold(1024).open()) {
      out.println("READY");
      while (true) {
        n++;
        int op = r.nextInt(100);
        if (op < 60 || n < 10) {
          String key = "k" + n;
          out.println("BEGIN put " + n + " " + key);
          Put options = n % 3 == 0 ? Put.tags("t" + n % 5) : n % 4 == 0 ? Put.ttl(Duration.ofDays(1)) : Put.DEFAULT;
          cache.put(key, Values.numbered(key, n), options);
        } else if (op < 80) {
          String key = "k" + (1 + r.nextInt((int) n - 1));
          out.println("BEGIN put " + n + " " + key);
          cache.put(key, Values.numbered(key, n));
        } else if (op < 90) {
          String key = "k" + (1 + r.nextInt((int) n - 1));
          out.println("BEGIN del " + n + " " + key);
          cache.delete(key);
        } else {
          Map<String, byte[]> batch = new LinkedHashMap<>();
          for (int i = 0; i < 3; i++) {
            String key = "b" + n + "." + i;
            batch.put(key, Values.numbered(key, n));
          }
          out.println("BEGIN all " + n + " " + String.join(",", batch.keySet()));
          cache.putAll(batch);
        }
        out.println("ACK " + n);
      }
    }
  }
}
