package dev.larder.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Entry;
import dev.larder.Larder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The classic text protocol over a real socket, reply bytes asserted exactly (as memcached 1.6.18 answers). */
class TextProtocolTest {
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
    assertThat(c.call("flush_all\r\n", "OK\r\n")).isEqualTo("OK\r\n");
  }

  private String call(String request, String expected) {
    return c.call(request, expected);
  }

  private void expect(String request, String expected) {
    assertThat(call(request, expected)).as(request).isEqualTo(expected);
  }

  @Test
  void setGet_withFlags_returnsValueAndFlags() {
    expect("set a 4294967295 0 5\r\nhello\r\n", "STORED\r\n");
    expect("get a\r\n", "VALUE a 4294967295 5\r\nhello\r\nEND\r\n");
    Entry<byte[], byte[]> e = server.cache().getEntry("a".getBytes(StandardCharsets.UTF_8));
    assertThat(e.flags()).isEqualTo(-1);
  }

  @Test
  void get_multipleKeys_returnsHitsInOrderAndSkipsMisses() {
    expect("set a 1 0 1\r\nA\r\nset c 3 0 1\r\nC\r\n", "STORED\r\nSTORED\r\n");
    expect("get a b c\r\n", "VALUE a 1 1\r\nA\r\nVALUE c 3 1\r\nC\r\nEND\r\n");
  }

  @Test
  void gets_thenCas_storesOnlyWithTheCurrentUnique() {
    expect("set k 0 0 1\r\nx\r\n", "STORED\r\n");
    long version = server.cache().getEntry(b("k")).version();
    expect("gets k\r\n", "VALUE k 0 1 " + version + "\r\nx\r\nEND\r\n");
    expect("cas k 0 0 1 " + (version + 1000) + "\r\ny\r\n", "EXISTS\r\n");
    expect("cas k 0 0 1 " + version + "\r\nz\r\n", "STORED\r\n");
    expect("cas nope 0 0 1 1\r\nz\r\n", "NOT_FOUND\r\n");
    expect("get k\r\n", "VALUE k 0 1\r\nz\r\nEND\r\n");
  }

  @Test
  void addReplaceAppendPrepend_followMemcachedRules() {
    expect("add k 0 0 1\r\na\r\n", "STORED\r\n");
    expect("add k 0 0 1\r\nb\r\n", "NOT_STORED\r\n");
    expect("replace k 0 0 1\r\nc\r\n", "STORED\r\n");
    expect("replace nope 0 0 1\r\nc\r\n", "NOT_STORED\r\n");
    expect("append k 0 0 2\r\nde\r\n", "STORED\r\n");
    expect("prepend k 0 0 2\r\nab\r\n", "STORED\r\n");
    expect("append nope 0 0 1\r\nx\r\n", "NOT_STORED\r\n");
    expect("get k\r\n", "VALUE k 0 5\r\nabcde\r\nEND\r\n");
  }

  @Test
  void noreply_suppressesTheReplies() {
    c.send("set k 0 0 1 noreply\r\na\r\nadd k 0 0 1 noreply\r\nb\r\nappend k 0 0 1 noreply\r\nc\r\n"
        + "incr n 1 noreply\r\ndelete nope noreply\r\ntouch k 10 noreply\r\nflush_all noreply\r\n"
        + "set k 0 0 1 noreply\r\nz\r\n");
    expect("get k\r\n", "VALUE k 0 1\r\nz\r\nEND\r\n");
  }

  @Test
  void incrDecr_areUnsigned64BitAsMemcached() {
    expect("incr n 1\r\n", "NOT_FOUND\r\n");
    expect("decr n 1\r\n", "NOT_FOUND\r\n");
    expect("set n 5 0 2\r\n10\r\n", "STORED\r\n");
    expect("incr n 5\r\n", "15\r\n");
    expect("decr n 100\r\n", "0\r\n"); // floors at 0
    expect("set n 5 0 20\r\n18446744073709551615\r\n", "STORED\r\n");
    expect("incr n 2\r\n", "1\r\n"); // wraps at 2^64
    expect("incr n 18446744073709551614\r\n", "18446744073709551615\r\n");
    expect("set n 5 0 19\r\n9223372036854775807\r\n", "STORED\r\n");
    expect("incr n 1\r\n", "9223372036854775808\r\n"); // past the core's signed range
    expect("decr n 9223372036854775808\r\n", "0\r\n");
    expect("get n\r\n", "VALUE n 5 1\r\n0\r\nEND\r\n"); // flags kept
    expect("incr n x\r\n", "CLIENT_ERROR invalid numeric delta argument\r\n");
    expect("incr n -1\r\n", "CLIENT_ERROR invalid numeric delta argument\r\n");
    expect("set s 0 0 3\r\nabc\r\n", "STORED\r\n");
    expect("incr s 1\r\n", "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
    expect("decr s 1\r\n", "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
  }

  @Test
  void incr_keepsTheRemainingTtl() {
    expect("set n 0 100 1\r\n1\r\n", "STORED\r\n");
    expect("incr n 1\r\n", "2\r\n");
    assertThat(server.cache().getEntry(b("n")).expiresAt()).isNotNull();
  }

  @Test
  void exptime_followsMemcachedRules() {
    long now = System.currentTimeMillis() / 1000;
    expect("set rel 0 100 1\r\na\r\n", "STORED\r\n");
    expect("set abs 0 " + (now + 5000) + " 1\r\na\r\n", "STORED\r\n");
    expect("set past 0 " + (now - 10) + " 1\r\na\r\n", "STORED\r\n");
    expect("set neg 0 -1 1\r\na\r\n", "STORED\r\n");
    expect("set never 0 0 1\r\na\r\n", "STORED\r\n");
    expect("get past neg never\r\n", "VALUE never 0 1\r\na\r\nEND\r\n");
    long rel = server.cache().getEntry(b("rel")).expiresAt().getEpochSecond() - now;
    long abs = server.cache().getEntry(b("abs")).expiresAt().getEpochSecond();
    assertThat(rel).isBetween(95L, 105L);
    assertThat(abs).isEqualTo(now + 5000);
    assertThat(server.cache().getEntry(b("never")).expiresAt()).isNull();
    // A negative exptime on an existing key: the key is gone, add still refuses a live key.
    expect("set never 0 -1 1\r\nb\r\n", "STORED\r\n");
    expect("get never\r\n", "END\r\n");
    expect("set live 0 0 1\r\na\r\n", "STORED\r\n");
    expect("add live 0 -1 1\r\nb\r\n", "NOT_STORED\r\n");
  }

  @Test
  void touchAndGat_setNewExpiry() {
    expect("set k 7 0 1\r\na\r\n", "STORED\r\n");
    expect("touch k 100\r\n", "TOUCHED\r\n");
    expect("touch nope 100\r\n", "NOT_FOUND\r\n");
    assertThat(server.cache().getEntry(b("k")).expiresAt()).isNotNull();
    expect("gat 0 k nope\r\n", "VALUE k 7 1\r\na\r\nEND\r\n");
    assertThat(server.cache().getEntry(b("k")).expiresAt()).isNull();
    long version = server.cache().getEntry(b("k")).version();
    expect("gats 100 k\r\n", "VALUE k 7 1 " + version + "\r\na\r\nEND\r\n");
    expect("gat -1 k\r\n", "VALUE k 7 1\r\na\r\nEND\r\n");
    expect("get k\r\n", "END\r\n");
    expect("touch k\r\n", "ERROR\r\n");
    expect("gat x k\r\n", "CLIENT_ERROR invalid exptime argument\r\n");
  }

  @Test
  void delete_repliesAndValidatesAsMemcached() {
    expect("set k 0 0 1\r\na\r\n", "STORED\r\n");
    expect("delete k\r\n", "DELETED\r\n");
    expect("delete k\r\n", "NOT_FOUND\r\n");
    expect("delete k 0\r\n", "NOT_FOUND\r\n");
    expect("delete k 1\r\n", "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n");
  }

  @Test
  void flushAll_withDelay_clearsLater() {
    expect("set k 0 0 1\r\na\r\n", "STORED\r\n");
    expect("flush_all 1\r\n", "OK\r\n");
    expect("get k\r\n", "VALUE k 0 1\r\na\r\nEND\r\n");
    dev.larder.testkit.Eventually.await(Duration.ofSeconds(30), "the delayed flush",
        () -> server.cache().getEntry(b("k")) == null);
    expect("flush_all x\r\n", "CLIENT_ERROR invalid exptime argument\r\n");
  }

  @Test
  void statsVersionVerbosity_answer() {
    c.send("stats\r\n");
    String line;
    boolean sawPid = false;
    while (!(line = c.line()).equals("END")) {
      assertThat(line).startsWith("STAT ");
      sawPid |= line.startsWith("STAT pid ");
    }
    assertThat(sawPid).isTrue();
    c.send("stats settings\r\n");
    boolean sawItemMax = false;
    while (!(line = c.line()).equals("END")) {
      sawItemMax |= line.equals("STAT item_size_max 1048576");
    }
    assertThat(sawItemMax).isTrue();
    c.send("stats items\r\n");
    assertThat(c.line()).startsWith("STAT items:1:number ");
    while (!c.line().equals("END")) {
      // rest of the items
    }
    expect("stats nonsense\r\n", "ERROR\r\n");
    expect("stats reset\r\n", "RESET\r\n");
  }

  @Test
  void versionAndVerbosity_answerAsMemcached() {
    expect("version\r\n", "VERSION " + LarderServer.VERSION + "\r\n");
    expect("verbosity 1\r\n", "OK\r\n");
    expect("verbosity\r\n", "ERROR\r\n");
    expect("verbosity x\r\n", "CLIENT_ERROR bad command line format\r\n");
    expect("verbosity noreply\r\nversion\r\n", "VERSION " + LarderServer.VERSION + "\r\n");
  }

  @Test
  void quit_closesTheConnectionAfterEarlierReplies() {
    c.send("set k 0 0 1\r\na\r\nquit\r\nget k\r\n");
    assertThat(c.line()).isEqualTo("STORED");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void pipeline_repliesInOrder() {
    StringBuilder req = new StringBuilder();
    StringBuilder want = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      req.append("set k").append(i).append(" 0 0 ").append(String.valueOf(i).length()).append("\r\n").append(i).append("\r\n");
      req.append("get k").append(i).append("\r\n");
      want.append("STORED\r\nVALUE k").append(i).append(" 0 ").append(String.valueOf(i).length()).append("\r\n")
          .append(i).append("\r\nEND\r\n");
    }
    assertThat(call(req.toString(), want.toString())).isEqualTo(want.toString());
  }

  @Test
  void javaApplication_andServer_seeEachOthersWrites() {
    try (Cache<String, byte[]> app = Larder.builder(dir).open()) {
      app.put("from-java", b("hi"), dev.larder.Put.flags(9));
      expect("get from-java\r\n", "VALUE from-java 9 2\r\nhi\r\nEND\r\n");
      expect("set from-client 3 0 2\r\nyo\r\n", "STORED\r\n");
      assertThat(new String(app.get("from-client"), StandardCharsets.UTF_8)).isEqualTo("yo");
      assertThat(app.getEntry("from-client").flags()).isEqualTo(3);
    }
  }

  @Test
  void unknownAndMalformed_commandsGetErrors() {
    expect("bogus\r\n", "ERROR\r\n");
    expect("GET a\r\n", "ERROR\r\n");
    expect("\r\n", "ERROR\r\n");
    expect("get\r\n", "ERROR\r\n");
    expect("set k 0 0\r\n", "ERROR\r\n");
    expect("set k 0 0 -1\r\n", "CLIENT_ERROR bad command line format\r\n");
    expect("set k 0 0 3\r\nabcde\r\n", "CLIENT_ERROR bad data chunk\r\nERROR\r\n");
    expect("get " + "k".repeat(251) + "\r\n", "CLIENT_ERROR bad command line format\r\n");
    expect("version\r\n", "VERSION " + LarderServer.VERSION + "\r\n");
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
