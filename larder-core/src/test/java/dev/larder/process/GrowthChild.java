package dev.larder.process;

import dev.larder.Cache;
import dev.larder.Larder;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;

/**
 * A child JVM that opens a cache with the JVM's default options and works on it until told the
 * other side is done: for {@link GrowthAndFlagsTest}. Prints its JVM input arguments ({@code ARGS
 * [...]}), {@code READY}, and at the end {@code SAW <n>} (whole values read) and {@code DONE}.
 *
 * <p>Arguments: directory, initial map size, seconds.
 */
public final class GrowthChild {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long mapSize = Long.parseLong(args[1]);
    long until = System.currentTimeMillis() + (long) (Double.parseDouble(args[2]) * 1000);
    System.out.println("ARGS " + ManagementFactory.getRuntimeMXBean().getInputArguments());
    long saw = 0;
    Random r = new Random(7);
    try (Cache<String, byte[]> cache = Larder.builder(dir).initialMapSize(mapSize).open()) {
      System.out.println("READY");
      while (System.currentTimeMillis() < until && cache.get("parent:done") == null) {
        String key = "child:" + r.nextInt(200);
        cache.put(key, Values.make(key, r, 500 + r.nextInt(3000)));
        String other = "parent:" + r.nextInt(2000);
        byte[] v = cache.get(other);
        if (v != null) {
          String why = Values.verify(other, v);
          if (why != null) {
            System.out.println("BAD " + other + " " + why);
          }
          saw++;
        }
      }
      System.out.println("SAW " + saw);
    }
    System.out.println("DONE");
  }
}
