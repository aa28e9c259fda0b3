package dev.larder.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.testkit.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data outlives the server: servers in real child JVMs, stopped with SIGTERM or killed with {@code
 * kill -9}, restarted on the same directory; and a Java application sharing the directory with a
 * running server process.
 */
class PersistenceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private static int port(ChildJvm child) {
    return Integer.parseInt(child.awaitLine(l -> l.startsWith("READY "), WAIT).substring(6));
  }

  private static void sigterm(ChildJvm child) {
    ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroy);
  }

  /** Pipelines {@code n} sets and returns the keys whose STORED reply arrived before the socket closed. */
  private static List<Integer> setUntilClosed(McClient c, int first, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = first; i < first + n; i++) {
      sb.append("set p").append(i).append(' ').append(i).append(" 1000 ").append(String.valueOf(i).length())
          .append("\r\n").append(i).append("\r\n");
    }
    try {
      c.send(sb.toString());
    } catch (RuntimeException e) {
      // the server stopped reading; the replies tell what was acknowledged
    }
    List<Integer> acked = new ArrayList<>();
    for (int i = first; i < first + n; i++) {
      String line;
      try {
        line = c.line();
      } catch (RuntimeException e) {
        break;
      }
      if (!"STORED".equals(line)) {
        break;
      }
      acked.add(i);
    }
    return acked;
  }

  private static void assertAllThere(int port, List<Integer> acked) {
    try (McClient c = new McClient(port)) {
      for (int i : acked) {
        String v = String.valueOf(i);
        c.send("get p" + i + "\r\n");
        assertThat(c.line()).as("acknowledged key p%d", i).isEqualTo("VALUE p" + i + " " + i + " " + v.length());
        assertThat(c.line()).isEqualTo(v);
        assertThat(c.line()).isEqualTo("END");
      }
      // The remaining TTL survived the restart: about 1000 s minus the test's run time.
      c.send("mg p" + acked.get(0) + " t f\r\n");
      String hd = c.line();
      assertThat(hd).startsWith("HD t").endsWith(" f" + acked.get(0));
      long ttl = Long.parseLong(hd.substring(4, hd.indexOf(' ', 4)));
      assertThat(ttl).isBetween(700L, 1000L);
    }
  }

  @Test
  void restart_afterSigterm_keepsEveryAcknowledgedItemWithFlagsAndTtl() {
    List<Integer> acked;
    try (ChildJvm server = ChildJvm.start(ServerMain.class, dir.toString())) {
      int port = port(server);
      try (McClient c = new McClient(port)) {
        acked = new ArrayList<>(setUntilClosed(c, 0, 300));
        assertThat(acked).hasSize(300);
        // A burst in flight when SIGTERM arrives: whatever was acknowledged must survive.
        StringBuilder sb = new StringBuilder();
        for (int i = 300; i < 3300; i++) {
          sb.append("set p").append(i).append(' ').append(i).append(" 1000 ").append(String.valueOf(i).length())
              .append("\r\n").append(i).append("\r\n");
        }
        c.send(sb.toString());
        // Stop while the burst is being served: after its first 200 replies.
        for (int i = 300; i < 500; i++) {
          assertThat(c.line()).isEqualTo("STORED");
          acked.add(i);
        }
        sigterm(server);
        for (int i = 500; i < 3300; i++) {
          String line;
          try {
            line = c.line();
          } catch (RuntimeException e) {
            break;
          }
          if (!"STORED".equals(line)) {
            break;
          }
          acked.add(i);
        }
      }
      server.awaitLine("STOPPED"::equals, WAIT);
      server.waitFor(WAIT);
    }
    System.out.println("[persistence] acknowledged before and during SIGTERM: " + acked.size());
    try (ChildJvm again = ChildJvm.start(ServerMain.class, dir.toString())) {
      assertAllThere(port(again), acked);
    }
  }

  @Test
  void restart_afterKill9_keepsEveryAcknowledgedItem() {
    List<Integer> acked;
    try (ChildJvm server = ChildJvm.start(ServerMain.class, dir.toString())) {
      try (McClient c = new McClient(port(server))) {
        acked = setUntilClosed(c, 0, 500);
      }
      server.kill();
    }
    assertThat(acked).hasSize(500);
    try (ChildJvm again = ChildJvm.start(ServerMain.class, dir.toString())) {
      assertAllThere(port(again), acked);
    }
  }

  @Test
  void javaApplication_andServerProcess_seeEachOthersWrites() {
    try (ChildJvm server = ChildJvm.start(ServerMain.class, dir.toString());
        McClient c = new McClient(port(server));
        Cache<String, byte[]> app = Larder.builder(dir).open()) {
      app.put("java-key", "from java".getBytes(StandardCharsets.UTF_8), dev.larder.Put.flags(5));
      assertThat(c.call("get java-key\r\n", "VALUE java-key 5 9\r\nfrom java\r\nEND\r\n"))
          .isEqualTo("VALUE java-key 5 9\r\nfrom java\r\nEND\r\n");
      assertThat(c.call("set mc-key 0 0 6\r\nfrom c\r\n", "STORED\r\n")).isEqualTo("STORED\r\n");
      assertThat(new String(app.get("mc-key"), StandardCharsets.UTF_8)).isEqualTo("from c");
      assertThat(c.call("incr counter 1\r\n", "NOT_FOUND\r\n")).isEqualTo("NOT_FOUND\r\n");
      app.incr("counter", 41);
      assertThat(c.call("incr counter 1\r\n", "42\r\n")).isEqualTo("42\r\n");
      assertThat(app.incr("counter", 0)).isEqualTo(42);
    }
  }
}
