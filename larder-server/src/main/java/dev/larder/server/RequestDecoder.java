package dev.larder.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames the memcached text and meta protocols into {@link Request}s: a command line ending in
 * LF (a CR before it is dropped), plus, for storage commands ({@code set add replace append
 * prepend cas ms}), a data block of the announced length followed by CRLF.
 *
 * <h2>Limits, checked before anything is allocated</h2>
 *
 * <ul>
 *   <li>A command line is at most {@value #MAX_LINE} bytes, the size of memcached's read buffer for
 *       ordinary commands (a 250-byte key plus the rest of the line fits many times over). The
 *       retrieval commands {@code get gets gat gats}, whose key lists memcached does not bound, may
 *       take up to {@value #MAX_GET_LINE} bytes. A longer line gets {@code CLIENT_ERROR line too
 *       long} and the connection is closed, since the stream cannot be resynchronised (memcached
 *       closes it too).
 *   <li>A classic storage command with a key over {@value #MAX_KEY} bytes, or flags, exptime, length
 *       or cas that are not numbers in range, gets {@code CLIENT_ERROR bad command line format}
 *       and its data is not consumed, exactly as memcached does (the data line then reads as a
 *       command, usually {@code ERROR}).
 *   <li>A value longer than the item size limit gets {@code SERVER_ERROR object too large for
 *       cache}, and its bytes are skipped as they arrive, never buffered.
 * </ul>
 *
 * <p>The data block is copied into a {@code byte[]} of its exact length as it arrives, so a large
 * value is held once, not in the cumulation buffer and again in the array. No {@link ByteBuf}
 * leaves this decoder. Not thread-safe: one instance per channel, used on its event loop.
 */
final class RequestDecoder extends ByteToMessageDecoder {
  static final int MAX_LINE = 2048;
  static final int MAX_GET_LINE = 256 * 1024;
  static final int MAX_KEY = 250;

  private final int maxItemSize;
  /** Bytes of an oversize value (and its CRLF) still to skip. */
  private long swallow;
  /** A storage command waiting for its data block, or null. */
  private List<String> pending;
  private byte[] data;
  private int filled;
  private boolean failed;

  RequestDecoder(int maxItemSize) {
    this.maxItemSize = maxItemSize;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      // The connection is closing after a fatal error: drop what still arrives, never buffer it.
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.isReadable() && !failed) {
      if (swallow > 0) {
        int n = (int) Math.min(swallow, in.readableBytes());
        in.skipBytes(n);
        swallow -= n;
        continue;
      }
      if (pending != null) {
        if (!readData(in, out)) {
          return;
        }
        continue;
      }
      if (!readLine(in, out)) {
        return;
      }
    }
  }

  /** Reads the data block of {@link #pending}; false when more bytes are needed. */
  private boolean readData(ByteBuf in, List<Object> out) {
    int want = data.length - filled;
    if (want > 0) {
      int n = Math.min(want, in.readableBytes());
      in.readBytes(data, filled, n);
      filled += n;
      if (filled < data.length) {
        return false;
      }
    }
    if (in.readableBytes() < 2) {
      return false;
    }
    byte cr = in.readByte();
    byte lf = in.readByte();
    List<String> tokens = pending;
    byte[] value = data;
    pending = null;
    data = null;
    if (cr != '\r' || lf != '\n') {
      out.add(Request.error("CLIENT_ERROR bad data chunk"));
    } else {
      out.add(Request.command(tokens, value));
    }
    return true;
  }

  /** Reads one command line; false when more bytes are needed. */
  private boolean readLine(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int limit = isRetrieval(in, start) ? MAX_GET_LINE : MAX_LINE;
    int searchEnd = Math.min(in.writerIndex(), start + limit);
    int eol = in.indexOf(start, searchEnd, (byte) '\n');
    if (eol < 0) {
      if (in.readableBytes() >= limit) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(Request.fatal("CLIENT_ERROR line too long"));
      }
      return false;
    }
    int end = eol > start && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
    List<String> tokens = tokenize(in, start, end);
    in.readerIndex(eol + 1);
    frame(tokens, out);
    return true;
  }

  private static boolean isRetrieval(ByteBuf in, int start) {
    int n = Math.min(in.readableBytes(), 5);
    if (n < 4 || in.getByte(start) != 'g') {
      return false;
    }
    byte b1 = in.getByte(start + 1);
    byte b2 = in.getByte(start + 2);
    if (!((b1 == 'e' || b1 == 'a') && b2 == 't')) {
      return false;
    }
    byte b3 = in.getByte(start + 3);
    return b3 == ' ' || (b3 == 's' && n == 5 && in.getByte(start + 4) == ' ');
  }

  static List<String> tokenize(ByteBuf in, int start, int end) {
    List<String> tokens = new ArrayList<>(8);
    int i = start;
    while (i < end) {
      while (i < end && in.getByte(i) == ' ') {
        i++;
      }
      int s = i;
      while (i < end && in.getByte(i) != ' ') {
        i++;
      }
      if (i > s) {
        tokens.add(in.toString(s, i - s, StandardCharsets.ISO_8859_1));
      }
    }
    return tokens;
  }

  /** Decides whether the line announces a data block, and checks it before allocating. */
  private void frame(List<String> tokens, List<Object> out) {
    String cmd = tokens.isEmpty() ? "" : tokens.get(0);
    int lengthIndex;
    switch (cmd) {
      case "set", "add", "replace", "append", "prepend" -> {
        if (tokens.size() != 5 && tokens.size() != 6) {
          out.add(Request.command(tokens, null)); // ERROR, from the handler
          return;
        }
        lengthIndex = 4;
      }
      case "cas" -> {
        if (tokens.size() != 6 && tokens.size() != 7) {
          out.add(Request.command(tokens, null));
          return;
        }
        lengthIndex = 4;
      }
      case "ms" -> {
        if (tokens.size() < 3) {
          out.add(Request.command(tokens, null));
          return;
        }
        lengthIndex = 2;
      }
      default -> {
        out.add(Request.command(tokens, null));
        return;
      }
    }
    long length = Numbers.parseUnsigned(tokens.get(lengthIndex), Integer.MAX_VALUE - 2);
    boolean ok = length >= 0;
    if (ok && lengthIndex == 4) {
      ok = tokens.get(1).length() <= MAX_KEY
          && Numbers.parseUnsigned(tokens.get(2), 0xFFFF_FFFFL) >= 0
          && Numbers.parseInt32(tokens.get(3)) != null
          && (!cmd.equals("cas") || Numbers.parseUnsigned64(tokens.get(5)) != null);
    }
    if (!ok) {
      out.add(Request.error("CLIENT_ERROR bad command line format"));
      return;
    }
    if (length > maxItemSize) {
      swallow = length + 2;
      out.add(Request.tooLarge(tokens));
      return;
    }
    pending = tokens;
    data = new byte[(int) length];
    filled = 0;
  }

  /** Bytes received and not yet decoded; for tests. */
  int buffered() {
    return actualReadableBytes();
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    pending = null;
    data = null;
  }
}
