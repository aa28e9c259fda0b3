package dev.larder.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * The processes that have a directory open, registered in the {@code meta} database under {@code
 * proc:<pid>} with their start time, so that a process that died without closing is noticed by the
 * next one to open or maintain the directory: its entry is still there, and its pid is gone or
 * belongs to a process started at another time.
 *
 * <p>Decision: this registry, rather than only LMDB's dead reader slots ({@code readerCheck}),
 * decides whether crash leftovers are swept. A process killed between a commit and the unlink of
 * the value files it dropped holds no read transaction, so it leaves no dead reader slot, and its
 * orphaned files stayed until {@code check(true)} (seen in InvalidationProcessTest).
 */
final class Processes {
  static final String PREFIX = "proc:";
  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

  private Processes() {}

  static byte[] key(long pid) {
    return (PREFIX + pid).getBytes(StandardCharsets.US_ASCII);
  }

  /** This process's start time in epoch milliseconds, or 0 when the system does not tell. */
  static long startOf(ProcessHandle p) {
    return p.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
  }

  /**
   * Registers this process and removes the entries of dead ones.
   *
   * @return whether a process died with the directory open since the last such check
   */
  static boolean register(WriteContext w) {
    Txn<byte[]> txn = w.txn();
    ProcessHandle self = ProcessHandle.current();
    boolean deadSeen = false;
    for (byte[][] e : list(w.store(), txn)) {
      long pid = pidOf(e[0]);
      if (pid == self.pid()) {
        continue;
      }
      long start = e[1].length == 8 ? Bytes.getLong(e[1], 0) : 0;
      boolean alive = ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(p -> start == 0 || startOf(p) == 0 || Math.abs(startOf(p) - start) < 1000)
          .isPresent();
      if (!alive) {
        w.store().meta.delete(txn, e[0]);
        deadSeen = true;
      }
    }
    w.store().meta.put(txn, key(self.pid()), Bytes.ofLong(startOf(self)));
    return deadSeen;
  }

  /** Removes this process's entry, at close. */
  static void unregister(WriteContext w) {
    w.store().meta.delete(w.txn(), key(ProcessHandle.current().pid()));
  }

  private static List<byte[][]> list(Store s, Txn<byte[]> txn) {
    List<byte[][]> out = new ArrayList<>();
    try (Cursor<byte[]> c = s.meta.openCursor(txn)) {
      if (c.get(PREFIX_BYTES, GetOp.MDB_SET_RANGE)) {
        do {
          if (!Bytes.startsWith(c.key(), PREFIX_BYTES)) {
            break;
          }
          out.add(new byte[][] {c.key(), c.val()});
        } while (c.next());
      }
    }
    return out;
  }

  private static long pidOf(byte[] key) {
    try {
      return Long.parseLong(new String(key, PREFIX_BYTES.length, key.length - PREFIX_BYTES.length,
          StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
