package dev.larder.recipe;

import java.nio.charset.StandardCharsets;

/** Helpers for the recipes' text records. */
final class Records {
  private Records() {}

  /** The error for a key that holds something other than the expected record. */
  static IllegalStateException notA(String type, String name, byte[] value) {
    String text = new String(value, 0, Math.min(value.length, 60), StandardCharsets.UTF_8);
    return new IllegalStateException("key '" + name + "' does not hold a " + type + " record (another recipe or"
        + " a plain value uses the key?): '" + text + (value.length > 60 ? "...'" : "'"));
  }
}
