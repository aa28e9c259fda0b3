package dev.larder.model;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/**
 * The small, fixed key space the model tests draw from. Small, so that operations meet the same
 * keys often; varied, so that the interesting key shapes are all there: keys that are prefixes of
 * one another, keys whose UTF-8 order differs from their UTF-16 order, a key just under LMDB's
 * 511-byte limit and two longer ones that share their first 600 characters (stored hashed).
 */
final class Keyspace {
  private Keyspace() {}

  /** The keys, referred to by index in operations. */
  static final List<String> KEYS = List.of(
      "a",
      "ab",
      "abc",
      "b",
      "user:1",
      "user:10",
      "\uFF61x", // U+FF61: after the emoji in UTF-16 order, before it in UTF-8 order
      "\uD83D\uDE00", // U+1F600
      "L" + "x".repeat(500), // 502 bytes with its type tag: still stored as it is
      "L" + "x".repeat(600) + "1", // over 511 bytes: stored under a prefix and a hash
      "L" + "x".repeat(600) + "2");

  /** Prefixes for {@code keys(prefix)}; null means {@code keys()}. */
  static final List<String> PREFIXES = Arrays.asList(
      null,
      "",
      "a",
      "ab",
      "abc",
      "abcd",
      "user:1",
      "\uFF61",
      "L",
      "L" + "x".repeat(500),
      "L" + "x".repeat(600),
      "L" + "x".repeat(600) + "1",
      "z");

  /** Orders strings by their UTF-8 bytes, unsigned: the order {@code keys()} promises. */
  static final Comparator<String> UTF8_ORDER =
      (x, y) -> Arrays.compareUnsigned(x.getBytes(UTF_8), y.getBytes(UTF_8));

  /** Whether {@code got} is the answer of {@code keys()} when {@code want} is the model's. */
  static boolean sameKeys(List<String> want, List<String> got) {
    return want.equals(got);
  }

  /** The bytes of a long key that its LMDB key keeps, without the one-byte type tag. */
  static final int KEPT_PREFIX = 479 - 1;

  static String key(int index) {
    return KEYS.get(index);
  }

  /** A key or prefix for reading: runs of more than 8 equal characters shortened to {@code x{600}}. */
  static String show(String s) {
    if (s == null) {
      return "<all>";
    }
    StringBuilder out = new StringBuilder("'");
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int j = i;
      while (j < s.length() && s.charAt(j) == c) {
        j++;
      }
      if (j - i > 8) {
        out.append(c).append('{').append(j - i).append('}');
      } else {
        for (int n = i; n < j; n++) {
          out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
      }
      i = j;
    }
    return out.append('\'').toString();
  }

  static String showKey(int index) {
    return show(key(index));
  }
}
