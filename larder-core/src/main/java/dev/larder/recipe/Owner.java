package dev.larder.recipe;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who holds a lock or a permit: {@code <pid>.<nonce>.<thread id>}. The nonce is drawn once per
 * class loading from {@link SecureRandom}, so a process that gets the pid of a dead holder (pids
 * are reused) is still another owner and cannot release or re-enter the dead holder's lock.
 * Contains no whitespace, which the record formats rely on.
 */
final class Owner {
  static final long PID = ProcessHandle.current().pid();
  static final String PROCESS = PID + "." + nonce();

  private Owner() {}

  private static String nonce() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The owner name of the calling thread. */
  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
  static String current() {
    return PROCESS + "." + Thread.currentThread().getId();
  }
}
