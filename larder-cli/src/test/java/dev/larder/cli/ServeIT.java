package dev.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code larder serve} from the shaded jar as a real process: the ready line, memcached traffic,
 * a graceful stop on SIGTERM, and the data there after a restart.
 */
class ServeIT {
  private static final Pattern READY =
      Pattern.compile("larder serve: ready on 127\\.0\\.0\\.1:(\\d+), data in (/.+)");

  @TempDir Path cwd;

  private Process start(Path log, String... extra) throws IOException {
    Path jar = Path.of(System.getProperty("larder.jar", "target/larder.jar"));
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "serve", "--port", "0"));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(log.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static Matcher awaitReady(Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(log)) {
        Matcher m = READY.matcher(line);
        if (m.matches()) {
          return m;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no ready line; stderr: " + Files.readString(log));
  }

  private static String talk(int port, String request, int lines) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < lines; i++) {
        sb.append(r.readLine()).append('\n');
      }
      return sb.toString();
    }
  }

  @Test
  void serve_readyLineTrafficSigtermAndRestart_keepTheData() throws Exception {
    Path log = cwd.resolve("serve1.log");
    Process p = start(log);
    try {
      Matcher m = awaitReady(log);
      int port = Integer.parseInt(m.group(1));
      assertThat(Path.of(m.group(2))).isEqualTo(cwd.resolve("larder-data").toRealPath());
      assertThat(talk(port, "set greeting 7 0 5\r\nhello\r\n", 1)).isEqualTo("STORED\n");
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log)).contains("larder serve: stopped");
    } finally {
      p.destroyForcibly();
    }
    Path log2 = cwd.resolve("serve2.log");
    Process again = start(log2);
    try {
      int port = Integer.parseInt(awaitReady(log2).group(1));
      assertThat(talk(port, "get greeting\r\n", 3)).isEqualTo("VALUE greeting 7 5\nhello\nEND\n");
    } finally {
      again.destroy();
      again.waitFor(60, TimeUnit.SECONDS);
    }
    // And the CLI on the same directory reads what the server stored.
    Process get = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("larder.jar", "target/larder.jar"), "get", "greeting").directory(cwd.toFile()).start();
    assertThat(new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(get.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void serve_explicitNonLoopbackBindWithoutAuth_warns() throws Exception {
    Path log = cwd.resolve("serve3.log");
    Process p = start(log, "--bind", "0.0.0.0");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String text = "";
      while (System.nanoTime() < deadline && !text.contains("ready on")) {
        text = Files.readString(log);
        Thread.sleep(50);
      }
      assertThat(text).contains("WARNING: listening on 0.0.0.0 without --auth-file").contains("ready on 0.0.0.0:");
    } finally {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
  }
}
