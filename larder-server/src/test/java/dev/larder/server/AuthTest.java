package dev.larder.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Text-protocol authentication as memcached 1.6 -Y does it (replies checked against memcached 1.6.18). */
class AuthTest {
  @RegisterExtension static final LeakWatch LEAKS = new LeakWatch();

  @TempDir static Path dir;
  static LarderServer server;

  @BeforeAll
  static void start() throws Exception {
    Path users = dir.resolve("users.txt");
    Files.writeString(users, "alice:secret\nbob:pw two\n");
    server = Servers.onTemp(dir.resolve("cache")).authFile(users).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anyCommandBeforeAuthentication_isRefusedAndClosed() {
    for (String cmd : new String[] {"get a\r\n", "version\r\n", "mn\r\n", "stats\r\n"}) {
      try (McClient c = new McClient(server.port())) {
        c.send(cmd);
        assertThat(c.line()).as(cmd).isEqualTo("CLIENT_ERROR unauthenticated");
        assertThat(c.closedByServer()).isTrue();
      }
    }
  }

  @Test
  void wrongPasswordOrFormat_isRefusedAndClosed() {
    try (McClient c = new McClient(server.port())) {
      c.send("set x 0 0 12\r\nalice wrong!\r\n");
      assertThat(c.line()).isEqualTo("CLIENT_ERROR authentication failure");
      assertThat(c.closedByServer()).isTrue();
    }
    try (McClient c = new McClient(server.port())) {
      c.send("set x 0 0 1\r\na\r\n");
      assertThat(c.line()).isEqualTo("CLIENT_ERROR bad authentication token format");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void rightPassword_thenEverythingWorks() {
    try (McClient c = new McClient(server.port())) {
      assertThat(c.call("set x 0 0 12\r\nalice secret\r\n", "STORED\r\n")).isEqualTo("STORED\r\n");
      assertThat(c.call("set k 0 0 1\r\nv\r\nget k\r\n", "STORED\r\nVALUE k 0 1\r\nv\r\nEND\r\n"))
          .isEqualTo("STORED\r\nVALUE k 0 1\r\nv\r\nEND\r\n");
      // The authentication set stored nothing.
      assertThat(c.call("get x\r\n", "END\r\n")).isEqualTo("END\r\n");
    }
    try (McClient c = new McClient(server.port())) {
      assertThat(c.call("set x 0 0 10\r\nbob pw two\r\nmn\r\n", "STORED\r\nMN\r\n")).isEqualTo("STORED\r\nMN\r\n");
    }
  }

  @Test
  void authFileWithoutUsers_isRefusedAtStart() throws Exception {
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "# nobody\n");
    assertThatThrownBy(() -> Servers.onTemp(dir.resolve("other")).authFile(empty).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no user:password line");
  }
}
