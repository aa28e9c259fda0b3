package dev.larder.collect;

import dev.larder.Codec;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A consumer in a child JVM: polls the deque {@code q} of {@code dir} one element at a time and
 * appends each to {@code sideFile} with one unbuffered write per element, right after the poll
 * committed. Stops when the deque is empty and {@code doneFile} exists.
 *
 * <p>Arguments: {@code dir sideFile doneFile [pauseEvery]}: with {@code pauseEvery}, sleeps 1 ms
 * before every {@code pauseEvery}-th poll, so that a crash test can kill it mid-run. Prints {@code
 * READY} once open and {@code DONE n}.
 */
public final class DequeConsumerChild {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path side = Path.of(args[1]);
    Path done = Path.of(args[2]);
    int pauseEvery = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    long n = 0;
    try (PersistentDeque<Long> q = PersistentDeque.builder(dir, Codec.int64()).name("q").open();
        FileOutputStream out = new FileOutputStream(side.toFile(), true)) {
      System.out.println("READY");
      while (true) {
        if (pauseEvery > 0 && n % pauseEvery == 0) {
          Thread.sleep(1);
        }
        Long e = q.pollFirst();
        if (e == null) {
          if (Files.exists(done) && (e = q.pollFirst()) == null) {
            break;
          }
          if (e == null) {
            Thread.sleep(1);
            continue;
          }
        }
        // Acknowledged: one write(2) per element, which kill -9 cannot take back.
        out.write((e + "\n").getBytes(StandardCharsets.US_ASCII));
        n++;
      }
    }
    System.out.println("DONE " + n);
  }
}
