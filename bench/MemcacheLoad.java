import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop memcached text-protocol load generator with exact latency percentiles, for
 * bench/server-vs-memcached.sh: {@code java bench/MemcacheLoad.java HOST:PORT SECONDS CONNECTIONS
 * KEYS VALUE_BYTES GET_PERCENT}. Each connection runs in its own thread and has one request in
 * flight; every request's latency is recorded (no sampling). Prints one line:
 * {@code ops=N ops_per_s=X p50_us=A p99_us=B p999_us=C errors=E}.
 */
public class MemcacheLoad {
  public static void main(String[] args) throws Exception {
    String[] hp = args[0].split(":");
    String host = hp[0];
    int port = Integer.parseInt(hp[1]);
    double seconds = Double.parseDouble(args[1]);
    int conns = Integer.parseInt(args[2]);
    int keys = Integer.parseInt(args[3]);
    int valueBytes = Integer.parseInt(args[4]);
    int getPercent = Integer.parseInt(args[5]);
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');

    // Preload every key so that gets hit.
    try (Socket s = new Socket(host, port)) {
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
      for (int k = 0; k < keys; k++) {
        out.write(("set key:" + k + " 0 0 " + valueBytes + " noreply\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(value);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write("mn\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String line;
      while (!(line = readLine(in)).equals("MN")) {
        if (line.isEmpty()) {
          throw new IOException("preload failed");
        }
      }
    }

    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch ready = new CountDownLatch(conns);
    CountDownLatch go = new CountDownLatch(1);
    List<long[]> lat = new ArrayList<>();
    long[] counts = new long[conns];
    long[] errors = new long[conns];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < conns; c++) {
      final int id = c;
      long[] mine = new long[4_000_000];
      lat.add(mine);
      Thread t = new Thread(() -> {
        try (Socket s = new Socket(host, port)) {
          s.setTcpNoDelay(true);
          OutputStream out = new BufferedOutputStream(s.getOutputStream(), 4096);
          InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
          SplittableRandom rnd = new SplittableRandom(id * 7919L + 1);
          ready.countDown();
          go.await();
          int n = 0;
          while (!stop.get() && n < mine.length) {
            int k = rnd.nextInt(keys);
            boolean get = rnd.nextInt(100) < getPercent;
            long t0 = System.nanoTime();
            if (get) {
              out.write(("get key:" + k + "\r\n").getBytes(StandardCharsets.US_ASCII));
              out.flush();
              String header = readLine(in);
              if (header.startsWith("VALUE ")) {
                int len = Integer.parseInt(header.substring(header.lastIndexOf(' ') + 1));
                in.readNBytes(len + 2);
                header = readLine(in);
              }
              if (!header.equals("END")) {
                errors[id]++;
              }
            } else {
              out.write(("set key:" + k + " 0 0 " + valueBytes + "\r\n").getBytes(StandardCharsets.US_ASCII));
              out.write(value);
              out.write('\r');
              out.write('\n');
              out.flush();
              if (!readLine(in).equals("STORED")) {
                errors[id]++;
              }
            }
            mine[n++] = System.nanoTime() - t0;
          }
          counts[id] = n;
        } catch (Exception e) {
          errors[id]++;
          ready.countDown();
        }
      });
      threads.add(t);
      t.start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long total = 0;
    long errs = 0;
    for (int c = 0; c < conns; c++) {
      total += counts[c];
      errs += errors[c];
    }
    long[] all = new long[(int) total];
    int pos = 0;
    for (int c = 0; c < conns; c++) {
      System.arraycopy(lat.get(c), 0, all, pos, (int) counts[c]);
      pos += (int) counts[c];
    }
    Arrays.sort(all);
    System.out.printf("ops=%d ops_per_s=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f errors=%d%n", total, total / elapsed,
        pct(all, 0.50), pct(all, 0.99), pct(all, 0.999), errs);
  }

  static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
  }

  static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) c);
    }
    return sb.toString();
  }
}
