package dev.larder.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance with real clients: memcached's own capability tester ({@code memccapable}),
 * libmemcached's {@code memccp}/{@code memccat}, and the spymemcached Java client.
 */
class RealClientsTest {
  @RegisterExtension static final LeakWatch LEAKS = new LeakWatch();

  @TempDir static Path dir;
  static LarderServer server;

  @BeforeAll
  static void start() {
    server = Servers.onTemp(dir.resolve("cache")).maxItemSize(8 * 1024 * 1024).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void memccapable_everyAsciiTestPasses() {
    Path tool = Tools.require("memccapable", "memcapable");
    Tools.Result r = Tools.run(List.of(tool.toString(), "-a", "-t", "30", "-h", "127.0.0.1", "-p",
        String.valueOf(server.port())), null, 300);
    System.out.println(r.output());
    Matcher m = Pattern.compile("(?m)^(ascii [a-z ]+?)\\s+\\[(pass|FAIL|fail|skip)\\]").matcher(r.output());
    int pass = 0;
    StringBuilder failed = new StringBuilder();
    while (m.find()) {
      if (m.group(2).equals("pass")) {
        pass++;
      } else {
        failed.append(m.group(1)).append("; ");
      }
    }
    System.out.println("[memccapable] " + pass + " ascii tests passed");
    assertThat(failed.toString()).as("failed memccapable tests").isEmpty();
    assertThat(pass).as("ascii tests that passed").isGreaterThanOrEqualTo(27);
    assertThat(r.exit()).as("memccapable exit code; output:\n" + r.output()).isZero();
  }

  @Test
  void memccpAndMemccat_roundTripAFileOfSeveralMiB() throws Exception {
    Path cp = Tools.require("memccp", "memcp");
    Path cat = Tools.require("memccat", "memcat");
    byte[] data = new byte[5 * 1024 * 1024 + 123];
    new Random(7).nextBytes(data);
    Path file = dir.resolve("blob.bin");
    Files.write(file, data);
    String servers = "--servers=127.0.0.1:" + server.port();
    Tools.Result put = Tools.run(List.of(cp.toString(), servers, file.toString()), null, 120);
    assertThat(put.exit()).as(put.output()).isZero();
    Path out = dir.resolve("blob.out");
    Tools.Result get = Tools.run(List.of(cat.toString(), servers, "blob.bin"), out, 120);
    assertThat(get.exit()).isZero();
    byte[] back = Files.readAllBytes(out);
    // memccat prints a newline after each value.
    assertThat(back.length).isEqualTo(data.length + 1);
    assertThat(back[data.length]).isEqualTo((byte) '\n');
    assertThat(Arrays.equals(data, 0, data.length, back, 0, data.length)).as("the bytes read back").isTrue();
  }

  @Test
  void spymemcached_getSetCasIncrDeleteMultiGet() throws Exception {
    MemcachedClient client = new MemcachedClient(
        new ConnectionFactoryBuilder().setOpTimeout(30_000).setProtocol(ConnectionFactoryBuilder.Protocol.TEXT).build(),
        List.of(new InetSocketAddress("127.0.0.1", server.port())));
    try {
      assertThat(client.set("spy:a", 0, "alpha").get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(client.set("spy:b", 100, 42).get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(client.get("spy:a")).isEqualTo("alpha");
      assertThat(client.get("spy:b")).isEqualTo(42); // flags carry the Java type

      CASValue<Object> cas = client.gets("spy:a");
      assertThat(cas.getValue()).isEqualTo("alpha");
      assertThat(client.cas("spy:a", cas.getCas(), "beta")).isEqualTo(CASResponse.OK);
      assertThat(client.cas("spy:a", cas.getCas(), "gamma")).isEqualTo(CASResponse.EXISTS);
      assertThat(client.get("spy:a")).isEqualTo("beta");

      assertThat(client.incr("spy:n", 5, 10)).isEqualTo(10); // missing: created with the default
      assertThat(client.incr("spy:n", 5)).isEqualTo(15);
      assertThat(client.decr("spy:n", 20)).isZero();
      assertThat(client.add("spy:a", 0, "x").get(30, TimeUnit.SECONDS)).isFalse();
      assertThat(client.append("spy:a", "!").get(30, TimeUnit.SECONDS)).isTrue();

      Map<String, Object> bulk = client.getBulk("spy:a", "spy:b", "spy:missing");
      assertThat(bulk).containsOnlyKeys("spy:a", "spy:b");
      assertThat(bulk.get("spy:a")).isEqualTo("beta!");

      assertThat(client.delete("spy:a").get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(client.get("spy:a")).isNull();
      assertThat(client.touch("spy:b", 1000).get(30, TimeUnit.SECONDS)).isTrue();
      Map<java.net.SocketAddress, String> versions = client.getVersions();
      assertThat(versions.values()).containsExactly(LarderServer.VERSION);
    } finally {
      client.shutdown(10, TimeUnit.SECONDS);
    }
  }
}
