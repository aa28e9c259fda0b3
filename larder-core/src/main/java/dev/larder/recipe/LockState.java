package dev.larder.recipe;

import java.nio.charset.StandardCharsets;

/**
 * The record of a held lock, stored as the value of the lock's key in one line of text, so that
 * {@code larder get <name>} shows it: {@code lock <owner> <token> <holds> <acquiredAtMillis>
 * <expiresAtMillis>}. Times are epoch milliseconds of the lock's clock.
 *
 * @param owner the holder (see {@link Owner})
 * @param token the fencing token: the entry version written by the first acquisition, unique in
 *     the directory and larger for every later acquisition
 * @param holds how many times the owner holds it (above 1 only for a re-entrant lock)
 * @param acquiredAt when the owner acquired it (the first hold)
 * @param expiresAt when the lease ends unless renewed
 */
record LockState(String owner, long token, int holds, long acquiredAt, long expiresAt) {
  private static final String TYPE = "lock";

  byte[] encode() {
    return (TYPE + " " + owner + " " + token + " " + holds + " " + acquiredAt + " " + expiresAt)
        .getBytes(StandardCharsets.UTF_8);
  }

  boolean liveAt(long nowMillis) {
    return expiresAt > nowMillis;
  }

  LockState withHolds(int holds, long expiresAt) {
    return new LockState(owner, token, holds, acquiredAt, expiresAt);
  }

  /** Decodes the value of key {@code name}, or returns {@code null} for {@code null}. */
  static LockState decode(String name, byte[] value) {
    if (value == null) {
      return null;
    }
    String[] f = new String(value, StandardCharsets.UTF_8).split(" ");
    try {
      if (f.length == 6 && f[0].equals(TYPE)) {
        return new LockState(f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]),
            Long.parseLong(f[5]));
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw Records.notA("lock", name, value);
  }
}
