package dev.larder.process;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.Namespace;
import dev.larder.Put;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child JVM for {@link InvalidationProcessTest}. Modes:
 *
 * <ul>
 *   <li>{@code watch DIR}: until the root key {@code phase} reads {@code done}, reads {@code phase}
 *       and then the namespace key {@code ns/k}; after phase {@code inv R} the value {@code R} must
 *       be gone. Prints {@code STALE ...} for each violation and {@code CHECKED n} at the end.
 *   <li>{@code evict-tag DIR}: writes 20,000 entries tagged {@code t} and 2,000 untagged, prints
 *       {@code READY}, then evicts the tag, printing {@code START} before and {@code EVICTED n}
 *       after.
 *   <li>{@code invalidate DIR}: writes 5,000 entries in namespace {@code ns}, prints {@code READY},
 *       invalidates, prints {@code INVALIDATED}, and waits to be killed while old entries are
 *       reclaimed.
 * </ul>
 */
public final class InvalidationChild {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    try (Cache<String, byte[]> cache = Larder.builder(dir).blobThreshold(1024).open()) {
      switch (args[0]) {
        case "watch" -> watch(cache);
        case "evict-tag" -> evictTag(cache);
        case "invalidate" -> invalidate(cache);
        default -> throw new IllegalArgumentException(args[0]);
      }
    }
  }

  private static void watch(Cache<String, byte[]> cache) {
    Namespace<String, byte[]> ns = cache.namespace("ns");
    System.out.println("READY");
    long checked = 0;
    while (true) {
      byte[] p = cache.get("phase");
      String phase = p == null ? "" : new String(p, StandardCharsets.UTF_8);
      if (phase.equals("done")) {
        break;
      }
      byte[] v = ns.get("k");
      if (phase.startsWith("inv ")) {
        checked++;
        if (v != null && new String(v, StandardCharsets.UTF_8).equals(phase.substring(4))) {
          System.out.println("STALE after " + phase);
        }
        cache.put("seen", p);
      }
    }
    System.out.println("CHECKED " + checked);
  }

  private static void evictTag(Cache<String, byte[]> cache) {
    for (int batch = 0; batch < 22; batch++) {
      java.util.Map<String, byte[]> m = new java.util.LinkedHashMap<>();
      for (int i = 0; i < 1000; i++) {
        int n = batch * 1000 + i;
        m.put("e" + n, Values.numbered("e" + n, n));
      }
      cache.putAll(m, batch < 20 ? Put.tags("t") : Put.DEFAULT);
    }
    System.out.println("READY");
    System.out.println("START");
    long n = cache.evictTag("t");
    System.out.println("EVICTED " + n);
  }

  private static void invalidate(Cache<String, byte[]> cache) throws InterruptedException {
    Namespace<String, byte[]> ns = cache.namespace("ns");
    for (int i = 0; i < 5000; i++) {
      ns.put("k" + i, Values.numbered("k" + i, i));
    }
    System.out.println("READY");
    ns.invalidate();
    System.out.println("INVALIDATED");
    Thread.sleep(60_000);
  }
}
