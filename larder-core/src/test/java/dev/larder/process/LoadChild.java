package dev.larder.process;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.larder.Cache;
import dev.larder.Larder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM for {@link LoadProcessTest}. Modes:
 *
 * <ul>
 *   <li>{@code stampede DIR SIDEFILE START_MILLIS THREADS}: at wall-clock START_MILLIS all threads
 *       call {@code get("hot", loader)}; the loader appends a line to SIDEFILE, takes 300 ms and
 *       returns {@code value-<pid>}. Prints {@code GOT <value>} per thread.
 *   <li>{@code hold DIR}: starts a load of {@code "held"} with a ten-minute lease, whose loader
 *       prints {@code LOADING} and never returns (the parent kills this process).
 * </ul>
 */
public final class LoadChild {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      System.out.println("READY");
      if (args[0].equals("stampede")) {
        Path side = Path.of(args[2]);
        long start = Long.parseLong(args[3]);
        int threads = Integer.parseInt(args[4]);
        String pid = Long.toString(ProcessHandle.current().pid());
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Thread th = new Thread(() -> {
            while (System.currentTimeMillis() < start) {
              Thread.onSpinWait();
            }
            byte[] v = cache.get("hot", k -> {
              try {
                Files.writeString(side, "CALL " + pid + "\n", StandardOpenOption.APPEND, StandardOpenOption.CREATE);
                Thread.sleep(300);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return ("value-" + pid).getBytes(UTF_8);
            });
            System.out.println("GOT " + new String(v, UTF_8));
          });
          ts.add(th);
          th.start();
        }
        for (Thread th : ts) {
          th.join();
        }
      } else {
        cache.get("held", dev.larder.Load.DEFAULT.withLeaseTimeout(java.time.Duration.ofMinutes(10)), k -> {
          System.out.println("LOADING");
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
      }
    }
    System.out.println("DONE");
  }
}
