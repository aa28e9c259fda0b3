package dev.larder.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Big-endian reads and writes on byte arrays, and small helpers. Every stored integer is big-endian. */
public final class Bytes {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

  private Bytes() {}

  public static long getLong(byte[] b, int off) {
    return (long) LONG.get(b, off);
  }

  public static void putLong(byte[] b, int off, long v) {
    LONG.set(b, off, v);
  }

  public static int getInt(byte[] b, int off) {
    return (int) INT.get(b, off);
  }

  public static void putInt(byte[] b, int off, int v) {
    INT.set(b, off, v);
  }

  public static int getUnsignedShort(byte[] b, int off) {
    return ((short) SHORT.get(b, off)) & 0xFFFF;
  }

  public static void putShort(byte[] b, int off, int v) {
    SHORT.set(b, off, (short) v);
  }

  /** An 8-byte big-endian array. */
  public static byte[] ofLong(long v) {
    byte[] b = new byte[8];
    putLong(b, 0, v);
    return b;
  }

  /** Whether {@code b} starts with {@code prefix}. */
  public static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length
        && java.util.Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The smallest array greater than every array that starts with {@code prefix}, or null if none. */
  public static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = java.util.Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }

  /** A readable form of a stored key for messages: text when printable, hex otherwise. */
  public static String describe(byte[] b) {
    if (b == null) {
      return "null";
    }
    boolean printable = true;
    for (int i = 1; i < b.length; i++) {
      if (b[i] < 0x20 || b[i] == 0x7F) {
        printable = false;
        break;
      }
    }
    String body;
    if (b.length > 1 && printable) {
      body = new String(b, 1, Math.min(b.length - 1, 200), StandardCharsets.UTF_8);
    } else {
      body = "0x" + HexFormat.of().formatHex(b, Math.min(1, b.length), Math.min(b.length, 101));
    }
    return b.length == 0 ? "''" : "'" + body + (b.length > 201 ? "...'" : "'");
  }
}
