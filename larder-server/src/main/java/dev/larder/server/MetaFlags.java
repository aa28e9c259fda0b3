package dev.larder.server;

import java.util.List;

/**
 * The flags of one meta command: single-character flags, some with a token ({@code T30}, {@code
 * Oabc}), after the key (and, for {@code ms}, the data length). Immutable once parsed.
 */
final class MetaFlags {
  final List<String> tokens;
  final int first;
  final boolean base64;
  final boolean quiet;

  MetaFlags(List<String> tokens, int first, String allowed) {
    this.tokens = tokens;
    this.first = first;
    boolean b = false;
    boolean q = false;
    for (int i = first; i < tokens.size(); i++) {
      String f = tokens.get(i);
      char c = f.charAt(0);
      if (allowed.indexOf(c) < 0) {
        throw new MetaCommands.Bad("CLIENT_ERROR invalid flag");
      }
      if (c == 'b') {
        b = true;
      } else if (c == 'q') {
        q = true;
      }
    }
    this.base64 = b;
    this.quiet = q;
  }

  boolean has(char c) {
    for (int i = first; i < tokens.size(); i++) {
      if (tokens.get(i).charAt(0) == c) {
        return true;
      }
    }
    return false;
  }

  String arg(char c) {
    for (int i = first; i < tokens.size(); i++) {
      String f = tokens.get(i);
      if (f.charAt(0) == c) {
        return f.substring(1);
      }
    }
    return null;
  }

  /** A numeric token, or {@code absent} when the flag is not given. */
  long number(char c, long absent) {
    String a = arg(c);
    if (a == null) {
      return absent;
    }
    Integer v = Numbers.parseInt32(a);
    if (v == null) {
      throw new MetaCommands.Bad("CLIENT_ERROR bad token in command line format");
    }
    return v;
  }

  long unsigned64(char c, long absent) {
    String a = arg(c);
    if (a == null) {
      return absent;
    }
    Long v = Numbers.parseUnsigned64(a);
    if (v == null) {
      throw new MetaCommands.Bad("CLIENT_ERROR bad token in command line format");
    }
    return v;
  }
}
