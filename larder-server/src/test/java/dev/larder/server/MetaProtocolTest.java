package dev.larder.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Larder;
import dev.larder.Load;
import dev.larder.LoadLease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The meta protocol and its stampede flags, replies as memcached 1.6.18 gives them. */
class MetaProtocolTest {
  @RegisterExtension static final LeakWatch LEAKS = new LeakWatch();

  @TempDir static Path dir;
  static LarderServer server;
  McClient c;

  @BeforeAll
  static void start() {
    server = Servers.onTemp(dir).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void connect() {
    c = new McClient(server.port());
    expect("flush_all\r\n", "OK\r\n");
  }

  private void expect(String request, String expected) {
    assertThat(c.call(request, expected)).as(request).isEqualTo(expected);
  }

  private long version(String key) {
    return server.cache().getEntry(key.getBytes(StandardCharsets.UTF_8)).version();
  }

  @Test
  void mg_returnsTheRequestedFlagsInRequestOrder() {
    expect("set foo 5 0 2\r\nhi\r\n", "STORED\r\n");
    long v = version("foo");
    expect("mg foo s v t f c k O123\r\n", "VA 2 s2 t-1 f5 c" + v + " kfoo O123\r\nhi\r\n");
    expect("mg foo\r\n", "HD\r\n");
    expect("mg nope v\r\n", "EN\r\n");
    expect("mg nope v q\r\nmg foo q\r\nmn\r\n", "HD\r\nMN\r\n");
    expect("mg foo zz\r\n", "CLIENT_ERROR invalid flag\r\n");
    expect("mg\r\n", "ERROR\r\n");
  }

  @Test
  void ms_modesCasAndFlags() {
    expect("ms m 2 T0 F7\r\nxy\r\n", "HD\r\n");
    expect("ms m 2 C999999\r\nzz\r\n", "EX\r\n");
    expect("ms m 2 MA\r\nzz\r\n", "HD\r\n");
    expect("mg m v f\r\n", "VA 4 f7\r\nxyzz\r\n");
    expect("ms m 2 ME\r\nqq\r\n", "NS\r\n");
    expect("ms nope 2 MR\r\nqq\r\n", "NS\r\n");
    expect("ms m 2 q\r\nab\r\nmn\r\n", "MN\r\n");
    long v = version("m");
    c.send("ms m 1 C" + v + " c k O9\r\nz\r\n");
    assertThat(c.line()).isEqualTo("HD c" + version("m") + " km O9");
    expect("ms m 1 MX\r\nz\r\n", "CLIENT_ERROR invalid mode for ms STORE\r\n");
    expect("ms m\r\n", "CLIENT_ERROR bad command line format\r\n");
    expect("ms m 1 T100\r\nz\r\n", "HD\r\n");
    expect("mg m t\r\n", "HD t100\r\n");
  }

  @Test
  void md_andMa_andMe() {
    expect("ms d 1\r\nx\r\n", "HD\r\n");
    expect("md d\r\n", "HD\r\n");
    expect("md d\r\n", "NF\r\n");
    expect("md d q\r\nmn\r\n", "NF\r\nMN\r\n");
    expect("ma cnt\r\n", "NF\r\n");
    expect("ma cnt N0 J5 v\r\n", "VA 1\r\n5\r\n");
    expect("ma cnt v\r\n", "VA 1\r\n6\r\n");
    expect("ma cnt MD D10 v\r\n", "VA 1\r\n0\r\n");
    expect("ma cnt q\r\nmn\r\n", "MN\r\n");
    expect("ma cnt MX\r\n", "CLIENT_ERROR invalid mode for ma M token\r\n");
    expect("me cnt\r\n", "ME cnt exp=-1 la=0 cas=" + version("cnt") + " fetch=no cls=1 size=1\r\n");
    expect("me nope\r\n", "EN\r\n");
    expect("mn\r\n", "MN\r\n");
  }

  @Test
  void base64Keys_areDecoded() {
    String k = Base64.getEncoder().encodeToString("bin\u0001key".getBytes(StandardCharsets.ISO_8859_1));
    expect("ms " + k + " 2 b\r\nhi\r\n", "HD\r\n");
    expect("mg " + k + " b v k\r\n", "VA 2 k" + k + " b\r\nhi\r\n");
    assertThat(server.cache().get("bin\u0001key".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo("hi".getBytes());
  }

  @Test
  void vivify_oneClientWinsTheOthersGetZ_untilTheWinnerStores() {
    try (McClient other = new McClient(server.port())) {
      expect("mg viv v N30 t\r\n", "VA 0 t30 W\r\n\r\n");
      assertThat(other.call("mg viv v N30 t\r\n", "VA 0 t30 Z\r\n\r\n")).isEqualTo("VA 0 t30 Z\r\n\r\n");
      assertThat(other.call("mg viv v\r\n", "VA 0 Z\r\n\r\n")).isEqualTo("VA 0 Z\r\n\r\n");
      expect("ms viv 3 T60\r\nabc\r\n", "HD\r\n");
      assertThat(other.call("mg viv v\r\n", "VA 3\r\nabc\r\n")).isEqualTo("VA 3\r\nabc\r\n");
    }
  }

  @Test
  void recache_belowTheThreshold_oneWinner() {
    expect("set r 0 100 3\r\nval\r\n", "STORED\r\n");
    expect("mg r v R30 t\r\n", "VA 3 t100\r\nval\r\n"); // 100 s left: above the threshold
    expect("mg r v R200 t\r\n", "VA 3 t100 W\r\nval\r\n");
    expect("mg r v R200 t\r\n", "VA 3 t100 Z\r\nval\r\n");
    expect("mg r v t\r\n", "VA 3 t100 Z\r\nval\r\n");
    expect("ms r 3 T100\r\nnew\r\n", "HD\r\n");
    expect("mg r v\r\n", "VA 3\r\nnew\r\n");
  }

  @Test
  void invalidate_marksStale_readersGetXAndOneWins() {
    expect("set st 0 100 3\r\nold\r\n", "STORED\r\n");
    expect("md st I T30\r\n", "HD\r\n");
    expect("mg st v t\r\n", "VA 3 t30 X W\r\nold\r\n");
    expect("mg st v t\r\n", "VA 3 t30 Z X\r\nold\r\n");
    expect("ms st 3\r\nnew\r\n", "HD\r\n");
    expect("mg st v\r\n", "VA 3\r\nnew\r\n");
    assertThat(server.cache().getEntry("st".getBytes()).tags()).doesNotContain(Backend.STALE_TAG);
  }

  @Test
  void winnerWhoseKeyWasWrittenMeanwhile_getsNsAndTheNewerValueStays() {
    expect("mg fence v N30\r\n", "VA 0 W\r\n\r\n");
    try (McClient other = new McClient(server.port())) {
      assertThat(other.call("set fence 0 0 5\r\nfresh\r\n", "STORED\r\n")).isEqualTo("STORED\r\n");
    }
    expect("ms fence 5\r\nstale\r\n", "NS\r\n");
    expect("mg fence v\r\n", "VA 5\r\nfresh\r\n");
    // Deleted while being recomputed: the late store is refused too, and a new reader can win.
    expect("mg gone v N30\r\n", "VA 0 W\r\n\r\n");
    try (McClient other = new McClient(server.port())) {
      assertThat(other.call("delete gone\r\n", "NOT_FOUND\r\n")).isEqualTo("NOT_FOUND\r\n");
      assertThat(other.call("mg gone v N30\r\n", "VA 0 W\r\n\r\n")).isEqualTo("VA 0 W\r\n\r\n");
    }
    expect("ms gone 5\r\nstale\r\n", "NS\r\n");
  }

  @Test
  void winnerThatDisconnects_releasesItsLeaseAtOnce() {
    try (McClient winner = new McClient(server.port())) {
      assertThat(winner.call("mg drop v N30\r\n", "VA 0 W\r\n\r\n")).isEqualTo("VA 0 W\r\n\r\n");
    }
    dev.larder.testkit.Eventually.await(Duration.ofSeconds(30), "the lease of a closed connection is released",
        () -> c.call("mg drop v N30\r\n", "VA 0 W\r\n\r\n").equals("VA 0 W\r\n\r\n"));
  }

  @Test
  void javaLoader_andMemcachedClients_shareOneLease() throws Exception {
    try (Cache<String, byte[]> app = Larder.builder(dir).open()) {
      // A Java loader holds the lease: memcached clients get Z, never W.
      LoadLease<String, byte[]> lease = app.tryLease("shared", Duration.ofSeconds(30));
      assertThat(lease).isNotNull();
      expect("mg shared v N30\r\n", "VA 0 Z\r\n\r\n");
      assertThat(lease.store("java".getBytes(), dev.larder.Put.DEFAULT)).isTrue();
      expect("mg shared v\r\n", "VA 4\r\njava\r\n");

      // A memcached client won: a Java get(key, loader) waits for its value instead of loading.
      expect("mg shared2 v N30\r\n", "VA 0 W\r\n\r\n");
      AtomicInteger loads = new AtomicInteger();
      ExecutorService ex = Executors.newSingleThreadExecutor();
      CountDownLatch started = new CountDownLatch(1);
      Future<byte[]> javaRead = ex.submit(() -> {
        started.countDown();
        return app.get("shared2", Load.DEFAULT.withLeaseTimeout(Duration.ofSeconds(30)), k -> {
          loads.incrementAndGet();
          return "loaded-by-java".getBytes();
        });
      });
      started.await();
      Thread.sleep(200);
      expect("ms shared2 6\r\nfrom-c\r\n", "HD\r\n");
      assertThat(new String(javaRead.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("from-c");
      assertThat(loads.get()).as("Java loader runs").isZero();
      ex.shutdown();
    }
  }
}
