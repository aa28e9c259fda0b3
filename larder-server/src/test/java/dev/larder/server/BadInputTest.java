package dev.larder.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Eventually;
import dev.larder.testkit.Seeds;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken clients over real sockets (cf. memcached's t/bogus-commands.t): the server
 * answers as memcached does, never crashes, leaks no buffer (PARANOID detection, {@link
 * LeakWatch}), and serves correctly afterwards.
 */
class BadInputTest {
  @RegisterExtension static final LeakWatch LEAKS = new LeakWatch();

  @TempDir static Path dir;
  static LarderServer server;

  @BeforeAll
  static void start() {
    server = Servers.onTemp(dir.resolve("main")).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The server still answers a fresh connection correctly. */
  private static void assertServing(LarderServer s) {
    try (McClient c = new McClient(s.port())) {
      assertThat(c.call("set alive 0 0 2\r\nok\r\nget alive\r\n", "STORED\r\nVALUE alive 0 2\r\nok\r\nEND\r\n"))
          .isEqualTo("STORED\r\nVALUE alive 0 2\r\nok\r\nEND\r\n");
    }
  }

  /** Each of these got ERROR from memcached 1.6.18 too (checked side by side). */
  @Test
  void bogusCommands_getErrorAndTheConnectionGoesOn() {
    try (McClient c = new McClient(server.port())) {
      for (String bogus : List.of("boguscommand slkdsldkfjsd", "GET foo", "get_foo", "setx a 0 0 1", "\u0001\u0002\u0003",
          "incr", "decr", "touch", "delete", "cas", "gets", "gat", "ms", "flush_all 1 2 3", "stats a b c",
          "verbosity 1 2 3", "md", "ma")) {
        String reply = c.call(bogus + "\r\n", "ERROR\r\n");
        assertThat(reply).as(bogus).isEqualTo("ERROR\r\n");
      }
      assertThat(c.call("version\r\n", "VERSION " + LarderServer.VERSION + "\r\n")).startsWith("VERSION");
    }
  }

  @Test
  void oversizeLine_getsLineTooLongAndIsClosed() {
    try (McClient c = new McClient(server.port())) {
      c.send("x".repeat(5000));
      assertThat(c.line()).isEqualTo("CLIENT_ERROR line too long");
      assertThat(c.closedByServer()).isTrue();
    }
    assertServing(server);
  }

  @Test
  void oversizeValue_isRefusedSwallowedAndDropsTheOldValue() {
    try (McClient c = new McClient(server.port())) {
      assertThat(c.call("set big 0 0 1\r\na\r\n", "STORED\r\n")).isEqualTo("STORED\r\n");
      int n = 2 * 1024 * 1024;
      c.send("set big 0 0 " + n + "\r\n");
      assertThat(c.line()).isEqualTo("SERVER_ERROR object too large for cache");
      c.send("y".repeat(n) + "\r\n");
      assertThat(c.call("get big\r\n", "END\r\n")).isEqualTo("END\r\n");
      c.send("ms big2 " + n + " T0\r\n" + "z".repeat(n) + "\r\nmn\r\n");
      assertThat(c.line()).isEqualTo("SERVER_ERROR object too large for cache");
      assertThat(c.line()).isEqualTo("MN");
    }
    assertServing(server);
  }

  @Test
  void binaryGarbage_neverCrashesTheServer() throws Exception {
    long seed = Seeds.seed("binaryGarbage_neverCrashesTheServer");
    Random rnd = new Random(seed);
    for (int round = 0; round < 20; round++) {
      byte[] junk = new byte[1 + rnd.nextInt(64 * 1024)];
      rnd.nextBytes(junk);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        s.getOutputStream().write(junk);
        s.getOutputStream().flush();
      } catch (java.io.IOException e) {
        // the server may close on a line that is too long: fine
      }
    }
    assertServing(server);
  }

  @Test
  void randomCommandMix_overASocket_keepsTheConnectionInSync() {
    long seed = Seeds.seed("randomCommandMix_overASocket_keepsTheConnectionInSync");
    Random rnd = new Random(seed);
    try (McClient c = new McClient(server.port())) {
      for (int round = 0; round < 200; round++) {
        String k = "r" + rnd.nextInt(50);
        String cmd = switch (rnd.nextInt(8)) {
          case 0 -> "set " + k + " " + rnd.nextInt(10) + " 0 3\r\nabc\r\n";
          case 1 -> "incr " + k + " " + rnd.nextInt(5) + "\r\n";
          case 2 -> "ms " + k + " 2 MA\r\nzz\r\n";
          case 3 -> "mg " + k + " v c t\r\n";
          case 4 -> "delete " + k + " " + rnd.nextInt(3) + "\r\n";
          case 5 -> "bogus " + k + "\r\n";
          case 6 -> "set " + k + " 0 0 " + (-1 - rnd.nextInt(5)) + "\r\n";
          default -> "get " + k + " " + k + "x\r\n";
        };
        c.send(cmd);
        // Whatever the replies were, a no-op round trip must come back next, in order.
        c.send("mn\r\n");
        String line;
        int guard = 0;
        while (!(line = c.line()).equals("MN")) {
          assertThat(line).as("seed %d round %d after %s", seed, round, cmd).isNotNull();
          assertThat(++guard).isLessThan(10);
        }
      }
    }
    assertServing(server);
  }

  @Test
  void clientDisconnectingMidValue_leavesNothingBehind() {
    for (int i = 0; i < 20; i++) {
      try (McClient c = new McClient(server.port())) {
        c.send("set half" + i + " 0 0 100000\r\n" + "h".repeat(500 * i));
      }
    }
    try (McClient c = new McClient(server.port())) {
      long[] last = {-1};
      try {
        Eventually.await(Duration.ofSeconds(60), "closed connections are gone",
            () -> c.call("stats\r\n", "STAT pid ").startsWith("STAT pid ") && (last[0] = connections(c)) <= 1);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; curr_connections stayed at " + last[0], e);
      }
      assertThat(c.call("get half5\r\n", "END\r\n")).isEqualTo("END\r\n");
    }
    assertServing(server);
  }

  /**
   * Deep pipelines from clients that hang up at once: every connection pauses (autoRead off at
   * {@value Connection#HIGH_WATER} waiting requests), resumes, and must still read its EOF and be
   * released.
   */
  @Test
  void deepPipelinesThenHangUp_everyConnectionIsReleased() {
    String burst = "mn\r\n".repeat(3000);
    for (int i = 0; i < 100; i++) {
      try (McClient c = new McClient(server.port())) {
        c.send(burst);
      }
    }
    try (McClient c = new McClient(server.port())) {
      Eventually.await(Duration.ofSeconds(60), "every hung-up connection is closed by the server",
          () -> c.call("stats\r\n", "STAT pid ").startsWith("STAT pid ") && connections(c) <= 1);
    }
  }

  /** Reads the rest of a stats reply and returns curr_connections. */
  private static long connections(McClient c) {
    long n = -1;
    String line;
    while (!(line = c.line()).equals("END")) {
      if (line.startsWith("STAT curr_connections ")) {
        n = Long.parseLong(line.substring("STAT curr_connections ".length()));
      }
    }
    return n;
  }

  @Test
  void clientThatDoesNotRead_isPausedAndGetsEveryReplyInOrder() throws Exception {
    try (McClient c = new McClient(server.port())) {
      String value = "v".repeat(10_000);
      assertThat(c.call("set wide 0 0 10000\r\n" + value + "\r\n", "STORED\r\n")).isEqualTo("STORED\r\n");
      int n = 3000; // 30 MB of replies, far more than the socket buffers hold
      ExecutorService writer = Executors.newSingleThreadExecutor();
      Future<?> sent = writer.submit(() -> {
        for (int i = 0; i < n; i++) {
          c.send("get wide\r\nmn\r\n");
        }
      });
      Thread.sleep(500); // the server fills its socket and must stop reading and writing
      String reply = "VALUE wide 0 10000\r\n" + value + "\r\nEND\r\nMN\r\n";
      for (int i = 0; i < n; i++) {
        assertThat(c.exactly(reply)).as("reply %d", i).isEqualTo(reply);
      }
      sent.get(60, TimeUnit.SECONDS);
      writer.shutdown();
    }
  }

  @Test
  void manyIdleConnections_areCheapAndTheServerStillAnswers() throws Exception {
    int n = Integer.getInteger("larder.test.idleConnections", 2000);
    Runtime rt = Runtime.getRuntime();
    LeakWatch.flush();
    long before = rt.totalMemory() - rt.freeMemory();
    List<Socket> sockets = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 30_000);
        sockets.add(s);
      }
      try (McClient c = new McClient(server.port())) {
        Eventually.await(Duration.ofSeconds(60), "all idle connections accepted",
            () -> c.call("stats\r\n", "STAT pid ").startsWith("STAT pid ") && connections(c) >= n + 1);
      }
      LeakWatch.flush();
      long after = rt.totalMemory() - rt.freeMemory();
      long perConnection = Math.max(0, after - before) / n;
      System.out.println("[idle] " + n + " idle connections: about " + perConnection
          + " bytes of heap each (server and client sockets in one JVM)");
      assertThat(perConnection).as("heap bytes per idle connection").isLessThan(64 * 1024);
      assertServing(server);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void maxConnections_refusesTheOneTooMany() {
    try (LarderServer small = Servers.onTemp(dir.resolve("small")).maxConnections(3).start()) {
      List<McClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          McClient c = new McClient(small.port());
          assertThat(c.call("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
          open.add(c);
        }
        try (McClient extra = new McClient(small.port())) {
          assertThat(extra.line()).isEqualTo("ERROR Too many open connections");
          assertThat(extra.closedByServer()).isTrue();
        }
      } finally {
        open.forEach(McClient::close);
      }
      Eventually.await(Duration.ofSeconds(30), "a slot is free again", () -> {
        try (McClient c = new McClient(small.port())) {
          return c.call("mn\r\n", "MN\r\n").equals("MN\r\n");
        } catch (RuntimeException e) {
          return false;
        }
      });
    }
  }

  @Test
  void idleTimeout_closesQuietConnections() {
    try (LarderServer idle = Servers.onTemp(dir.resolve("idle")).idleTimeout(Duration.ofMillis(300)).start();
        McClient c = new McClient(idle.port())) {
      assertThat(c.call("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
