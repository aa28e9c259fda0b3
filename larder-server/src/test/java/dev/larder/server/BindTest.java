package dev.larder.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.LarderException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port already taken is a clear error that leaves the cache closed and usable by others. */
class BindTest {
  @TempDir Path tmp;

  @Test
  void start_portInUse_saysSoAndClosesTheCache() {
    try (LarderServer first = Servers.onTemp(tmp.resolve("a")).start()) {
      int port = first.port();
      Path dir = tmp.resolve("b");

      assertThatThrownBy(() -> LarderServer.builder(dir).port(port).start())
          .isInstanceOf(LarderException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + port)
          .hasMessageContaining("--port");

      // The failed server closed its cache: the directory opens normally here.
      try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
        cache.put("k", new byte[] {1});
        assertThat(cache.get("k")).containsExactly(1);
      }
      try (McClient c = new McClient(port)) {
        c.send("version\r\n");
        assertThat(c.line()).startsWith("VERSION ");
      }
    }
  }
}
