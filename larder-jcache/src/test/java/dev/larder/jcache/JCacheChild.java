package dev.larder.jcache;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.spi.CachingProvider;

/**
 * A child JVM for {@link MultiProcessTest}: uses the cache {@code shared} in a directory through
 * the standard JCache bootstrap ({@code Caching.getCachingProvider()}), then exits.
 *
 * <p>Arguments: directory, command, count. Commands: {@code put} stores {@code k<i> -> i} for i
 * below count; {@code get} prints {@code GOT <key>=<value>} for the same keys; {@code incr} adds 1
 * to {@code counter} count times with an entry processor. Prints {@code DONE} at the end. {@code
 * forever} puts {@code k<i> -> i} for i from count on and prints {@code ACK <i>} after each put
 * returned, until it is killed.
 */
public final class JCacheChild {
  private JCacheChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String command = args[1];
    int count = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    CachingProvider provider = Caching.getCachingProvider();
    try {
      CacheManager manager = provider.getCacheManager(dir.toUri(), JCacheChild.class.getClassLoader());
      Cache<String, Long> cache = manager.createCache("shared",
          new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
      switch (command) {
        case "put":
          for (long i = 0; i < count; i++) {
            cache.put("k" + i, i);
          }
          break;
        case "get":
          for (int i = 0; i < count; i++) {
            out.println("GOT k" + i + "=" + cache.get("k" + i));
          }
          break;
        case "forever":
          for (long i = count; ; i++) {
            cache.put("k" + i, i);
            out.println("ACK " + i);
          }
        case "incr":
          for (int i = 0; i < count; i++) {
            cache.invoke("counter", increment());
          }
          break;
        default:
          throw new IllegalArgumentException(command);
      }
      out.println("DONE");
    } finally {
      provider.close();
    }
  }

  static EntryProcessor<String, Long, Long> increment() {
    return (entry, arguments) -> {
      long next = (entry.exists() ? entry.getValue() : 0L) + 1;
      entry.setValue(next);
      return next;
    };
  }
}
