package dev.larder.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testkit.Seeds;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The decoder fed every message whole, split at every byte boundary, one byte at a time, in random
 * chunks, truncated, and as random garbage (style of Netty's RedisDecoderTest).
 */
class RequestDecoderTest {
  @RegisterExtension static final LeakWatch LEAKS = new LeakWatch();

  private static final int MAX_ITEM = 64;

  /** Each stream and what it decodes to. */
  private static final String[][] CASES = {
      {"get a\r\n", "[get a]"},
      {"get a b c\r\ngets d\r\n", "[get a b c] [gets d]"},
      {"set k 5 0 3\r\nabc\r\n", "[set k 5 0 3 |abc]"},
      {"set k 0 0 4 noreply\r\na\r\nb\r\n", "[set k 0 0 4 noreply |a\r\nb]"},
      {"cas k 0 0 1 77\r\nx\r\nget k\r\n", "[cas k 0 0 1 77 |x] [get k]"},
      {"append k 0 0 0\r\n\r\n", "[append k 0 0 0 |]"},
      {"incr n 5\r\ndecr n 2 noreply\r\n", "[incr n 5] [decr n 2 noreply]"},
      {"get a\n", "[get a]"},
      {"  get   a  \r\n", "[get a]"},
      {"\r\n", "[]"},
      {"ms k 2 T10 F3\r\nhi\r\nmg k v\r\nmn\r\n", "[ms k 2 T10 F3 |hi] [mg k v] [mn]"},
      {"set k 0 0 3\r\nabcde\r\n", "E:CLIENT_ERROR bad data chunk []"},
      {"set k 0 0 -1\r\nabc\r\n", "E:CLIENT_ERROR bad command line format [abc]"},
      {"set k x 0 1\r\n", "E:CLIENT_ERROR bad command line format"},
      {"set k 0 0\r\n", "[set k 0 0]"},
      {"set " + "k".repeat(251) + " 0 0 1\r\na\r\n", "E:CLIENT_ERROR bad command line format [a]"},
      {"set big 0 0 65\r\n" + "x".repeat(65) + "\r\nget a\r\n",
          "E:SERVER_ERROR object too large for cache TOO_LARGE [get a]"},
      {"ms big 100 T1\r\n" + "y".repeat(100) + "\r\nmn\r\n", "E:SERVER_ERROR object too large for cache TOO_LARGE [mn]"},
      {"verbosity 1\r\nquit\r\n", "[verbosity 1] [quit]"},
      {"add k 1 2 1\r\nx\r\nreplace k 1 2 1 noreply\r\ny\r\nprepend k 0 0 2\r\nzz\r\n",
          "[add k 1 2 1 |x] [replace k 1 2 1 noreply |y] [prepend k 0 0 2 |zz]"},
      {"gat 10 a b\r\ngats 0 c\r\ntouch a 5 noreply\r\n", "[gat 10 a b] [gats 0 c] [touch a 5 noreply]"},
      {"delete a\r\ndelete b 0 noreply\r\nflush_all 10\r\nflush_all\r\n",
          "[delete a] [delete b 0 noreply] [flush_all 10] [flush_all]"},
      {"stats\r\nstats settings\r\nstats items\r\nversion\r\n", "[stats] [stats settings] [stats items] [version]"},
      {"md k q I T30\r\nma n N0 J5 D2 MD v\r\nme k\r\nmg Zm9v b v k O1\r\n",
          "[md k q I T30] [ma n N0 J5 D2 MD v] [me k] [mg Zm9v b v k O1]"},
      {"ms k 0 MA q\r\n\r\nms k 3 I\r\n\r\n\r\r\n", "[ms k 0 MA q |] [ms k 3 I |\r\n\r]"},
  };

  private static String describe(Object o) {
    Request r = (Request) o;
    if (r.error != null) {
      return "E:" + r.error + (r.tooLarge ? " TOO_LARGE" : "") + (r.close ? " CLOSE" : "");
    }
    return "[" + String.join(" ", r.tokens) + (r.data != null ? " |" + new String(r.data, StandardCharsets.ISO_8859_1) : "")
        + "]";
  }

  /** Feeds the chunks and returns the decoded requests, described. */
  static String decode(List<byte[]> chunks) {
    EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(MAX_ITEM));
    List<String> out = new ArrayList<>();
    for (byte[] c : chunks) {
      ch.writeInbound(Unpooled.wrappedBuffer(c));
      Object o;
      while ((o = ch.readInbound()) != null) {
        out.add(describe(o));
      }
    }
    ch.checkException();
    ch.finishAndReleaseAll();
    return String.join(" ", out);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void decode_wholeMessages_giveTheExpectedRequests() {
    for (String[] c : CASES) {
      assertThat(decode(List.of(b(c[0])))).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void decode_splitAtEveryByteBoundary_givesTheSameRequests() {
    for (String[] c : CASES) {
      byte[] all = b(c[0]);
      for (int i = 1; i < all.length; i++) {
        List<byte[]> parts = List.of(Arrays.copyOfRange(all, 0, i), Arrays.copyOfRange(all, i, all.length));
        assertThat(decode(parts)).as("%s split at %d", c[0], i).isEqualTo(c[1]);
      }
    }
  }

  @Test
  void decode_oneByteAtATime_givesTheSameRequests() {
    for (String[] c : CASES) {
      byte[] all = b(c[0]);
      List<byte[]> parts = new ArrayList<>();
      for (byte x : all) {
        parts.add(new byte[] {x});
      }
      assertThat(decode(parts)).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void decode_lineLongerThanTheLimit_failsAndClosesAtAnySplit() {
    String line = "x".repeat(RequestDecoder.MAX_LINE + 10) + "\r\n";
    assertThat(decode(List.of(b(line)))).isEqualTo("E:CLIENT_ERROR line too long CLOSE");
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i < line.length(); i += 100) {
      parts.add(b(line.substring(i, Math.min(line.length(), i + 100))));
    }
    assertThat(decode(parts)).isEqualTo("E:CLIENT_ERROR line too long CLOSE");
  }

  @Test
  void decode_afterAFatalError_dropsEverythingThatStillArrives() {
    RequestDecoder decoder = new RequestDecoder(MAX_ITEM);
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    ch.writeInbound(Unpooled.wrappedBuffer(b("y".repeat(RequestDecoder.MAX_LINE + 1))));
    assertThat(describe(ch.readInbound())).isEqualTo("E:CLIENT_ERROR line too long CLOSE");
    io.netty.buffer.ByteBuf more = Unpooled.wrappedBuffer(b("get a\r\n".repeat(1000)));
    ch.writeInbound(more);
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(decoder.buffered()).as("bytes kept after the fatal error").isZero();
    ch.finishAndReleaseAll();
  }

  @Test
  void decode_longGetLine_isAcceptedUpToTheRetrievalLimit() {
    StringBuilder sb = new StringBuilder("get");
    while (sb.length() < 10_000) {
      sb.append(" key").append(sb.length());
    }
    String line = sb + "\r\n";
    String decoded = decode(List.of(b(line)));
    assertThat(decoded.startsWith("[get key7 key12 ") && decoded.endsWith(" key9997]")).as("a long get line").isTrue();
  }

  @Test
  void decode_randomStreamsInRandomChunks_matchTheWholeDecoding() {
    long seed = Seeds.seed("decode_randomStreamsInRandomChunks_matchTheWholeDecoding");
    Random rnd = new Random(seed);
    for (int round = 0; round < 300; round++) {
      ByteArrayOutputStream s = new ByteArrayOutputStream();
      int n = 1 + rnd.nextInt(8);
      for (int i = 0; i < n; i++) {
        s.writeBytes(b(randomCommand(rnd)));
      }
      byte[] all = s.toByteArray();
      String whole = decode(List.of(all));
      assertThat(whole).as("seed %d round %d", seed, round).doesNotContain("E:CLIENT_ERROR");
      List<byte[]> chunks = new ArrayList<>();
      for (int i = 0; i < all.length; ) {
        int len = 1 + rnd.nextInt(Math.max(1, all.length / 3));
        chunks.add(Arrays.copyOfRange(all, i, Math.min(all.length, i + len)));
        i += len;
      }
      assertThat(decode(chunks)).as("seed %d round %d", seed, round).isEqualTo(whole);
      // A truncated stream decodes to a prefix of the whole decoding: complete requests only.
      int cut = rnd.nextInt(all.length);
      String truncated = decode(List.of(Arrays.copyOf(all, cut)));
      assertThat(whole).as("seed %d round %d cut %d", seed, round, cut).startsWith(truncated);
    }
  }

  @Test
  void decode_randomGarbage_neverThrows() {
    long seed = Seeds.seed("decode_randomGarbage_neverThrows");
    Random rnd = new Random(seed);
    for (int round = 0; round < 300; round++) {
      byte[] garbage = new byte[rnd.nextInt(3000)];
      rnd.nextBytes(garbage);
      if (rnd.nextBoolean()) {
        // Sprinkle line ends and command words so that framing paths are taken too.
        for (int i = 0; i < garbage.length / 20; i++) {
          garbage[rnd.nextInt(garbage.length)] = '\n';
        }
        byte[] word = b(new String[] {"set a 0 0 5 ", "get ", "ms k 9 ", "cas k 0 0 2 1 "}[rnd.nextInt(4)]);
        System.arraycopy(word, 0, garbage, 0, Math.min(word.length, garbage.length));
      }
      List<byte[]> chunks = new ArrayList<>();
      for (int i = 0; i < garbage.length; i += 1 + rnd.nextInt(200)) {
        chunks.add(Arrays.copyOfRange(garbage, i, Math.min(garbage.length, i + 1 + rnd.nextInt(200))));
      }
      decode(chunks); // throws if the decoder threw
    }
  }

  private static String randomCommand(Random rnd) {
    String key = "k" + rnd.nextInt(1000);
    switch (rnd.nextInt(7)) {
      case 0 -> {
        return "get " + key + (rnd.nextBoolean() ? " " + key + "x" : "") + "\r\n";
      }
      case 1, 2 -> {
        byte[] v = new byte[rnd.nextInt(MAX_ITEM + 1)];
        for (int i = 0; i < v.length; i++) {
          v[i] = (byte) "ab\r\n \0xyz".charAt(rnd.nextInt(9));
        }
        return "set " + key + " " + rnd.nextInt(100) + " 0 " + v.length + "\r\n" + new String(v, StandardCharsets.ISO_8859_1)
            + "\r\n";
      }
      case 3 -> {
        return "ms " + key + " 3 T5\r\nabc\r\n";
      }
      case 4 -> {
        return "incr " + key + " " + rnd.nextInt(10) + "\r\n";
      }
      case 5 -> {
        int n = MAX_ITEM + 1 + rnd.nextInt(50);
        return "set " + key + " 0 0 " + n + "\r\n" + "z".repeat(n) + "\r\n";
      }
      default -> {
        return "mg " + key + " v t\r\n";
      }
    }
  }
}
