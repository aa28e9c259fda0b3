package dev.larder.server;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Writes protocol text into a reply buffer. Tokens are ISO-8859-1, one char per byte. */
final class Reply {
  private Reply() {}

  static void line(ByteBuf out, String s) {
    out.writeCharSequence(s, StandardCharsets.ISO_8859_1);
    out.writeByte('\r').writeByte('\n');
  }

  static void text(ByteBuf out, String s) {
    out.writeCharSequence(s, StandardCharsets.ISO_8859_1);
  }

  static void number(ByteBuf out, long v) {
    out.writeCharSequence(Long.toString(v), StandardCharsets.ISO_8859_1);
  }

  static void data(ByteBuf out, byte[] value) {
    out.writeBytes(value);
    out.writeByte('\r').writeByte('\n');
  }

  static void crlf(ByteBuf out) {
    out.writeByte('\r').writeByte('\n');
  }
}
