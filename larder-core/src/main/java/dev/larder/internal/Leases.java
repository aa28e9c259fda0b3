package dev.larder.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * Load leases: the record that one thread of one process is computing a key's value, so that every
 * other thread and process waits for it instead of computing it too.
 *
 * <p>A lease lives in the {@code leases} database under the entry's LMDB key: {@code [token
 * u64][pid u64][deadline u64][version u64]}. The token comes from the version sequence and fences
 * the load: the loader may store its value only if, in the transaction that stores it, its lease
 * is still there with its token, the entry still has the version it had when the lease was taken,
 * and no tag of the value was evicted meanwhile (each {@code evictTag} moves the tag's epoch in
 * {@code meta}). A {@code delete} of the key removes its lease; {@code clear} removes them all. So
 * a load that started before an invalidation of its key cannot write its stale result afterwards.
 *
 * <p>A lease whose deadline passed, or whose holder process is gone, may be taken over; the old
 * holder's store is then refused by its token.
 */
public final class Leases {
  private static final long PID = ProcessHandle.current().pid();

  private Leases() {}

  /** A lease held by this process. */
  public record Lease(byte[] full, byte[] stored, long token, long version, long[] tagEpochs) {}

  /** What {@link #tryAcquire} found instead of a lease: another holder, until {@code deadline}. */
  public record Busy(long pid, long deadline) {}

  /**
   * Takes the lease of {@code full} unless another live holder has it.
   *
   * @return a {@link Lease}, or a {@link Busy} describing the holder
   */
  public static Object tryAcquire(WriteContext w, byte[] full, List<byte[]> tags, long timeoutMillis) {
    return tryAcquire(w, full, tags, timeoutMillis, -1);
  }

  /** What {@link #tryAcquire(WriteContext, byte[], List, long, long)} returns when the entry changed. */
  public static final Object CHANGED = new Object();

  /**
   * Like {@link #tryAcquire(WriteContext, byte[], List, long)}, for a recomputation of the entry
   * whose version the caller read: returns {@link #CHANGED} instead of a lease when the entry is no
   * longer that version (someone stored or removed it meanwhile, so it needs no recomputation).
   * A negative {@code expectVersion} skips the check.
   */
  public static Object tryAcquire(WriteContext w, byte[] full, List<byte[]> tags, long timeoutMillis,
      long expectVersion) {
    Store s = w.store();
    byte[] stored = Keys.stored(full);
    if (expectVersion >= 0) {
      Record current = w.find(stored, full);
      if (current == null || current.isExpired(w.now()) || current.version() != expectVersion) {
        return CHANGED;
      }
    }
    byte[] existing = s.leases.get(w.txn(), stored);
    long now = w.now();
    if (existing != null) {
      long pid = Bytes.getLong(existing, 8);
      long deadline = Bytes.getLong(existing, 16);
      boolean alive = pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (deadline > now && alive) {
        return new Busy(pid, deadline);
      }
    }
    long token = w.nextSeq();
    Record r = w.find(stored, full);
    long version = r == null || r.isExpired(now) ? 0 : r.version();
    byte[] lease = new byte[32];
    Bytes.putLong(lease, 0, token);
    Bytes.putLong(lease, 8, PID);
    Bytes.putLong(lease, 16, Math.addExact(now, timeoutMillis));
    Bytes.putLong(lease, 24, version);
    s.leases.put(w.txn(), stored, lease);
    long[] epochs = new long[tags.size()];
    for (int i = 0; i < epochs.length; i++) {
      epochs[i] = tagEpoch(w, tags.get(i));
    }
    return new Lease(full, stored, token, version, epochs);
  }

  /**
   * Whether the loader of {@code lease} may store its value now (see the class comment). Does not
   * change anything.
   */
  public static boolean mayStore(WriteContext w, Lease lease, byte[] fullNow, List<byte[]> tags) {
    if (!java.util.Arrays.equals(fullNow, lease.full())) {
      return false; // the namespace was invalidated
    }
    byte[] current = w.store().leases.get(w.txn(), lease.stored());
    if (current == null || Bytes.getLong(current, 0) != lease.token()) {
      return false; // deleted, cleared, or taken over
    }
    Record r = w.find(lease.stored(), lease.full());
    long version = r == null || r.isExpired(w.now()) ? 0 : r.version();
    if (version != lease.version()) {
      return false; // written meanwhile
    }
    for (int i = 0; i < tags.size(); i++) {
      if (tagEpoch(w, tags.get(i)) != lease.tagEpochs()[i]) {
        return false; // evictTag ran meanwhile
      }
    }
    return true;
  }

  /** Gives the lease up if it is still ours. */
  public static void release(WriteContext w, Lease lease) {
    byte[] current = w.store().leases.get(w.txn(), lease.stored());
    if (current != null && Bytes.getLong(current, 0) == lease.token()) {
      w.store().leases.delete(w.txn(), lease.stored());
    }
  }

  static byte[] tagEpochKey(byte[] tag) {
    byte[] prefix = "tagepoch:".getBytes(StandardCharsets.US_ASCII);
    byte[] k = new byte[prefix.length + tag.length];
    System.arraycopy(prefix, 0, k, 0, prefix.length);
    System.arraycopy(tag, 0, k, prefix.length, tag.length);
    return k;
  }

  static long tagEpoch(WriteContext w, byte[] tag) {
    byte[] e = w.store().meta.get(w.txn(), tagEpochKey(tag));
    return e == null ? 0 : Bytes.getLong(e, 0);
  }

  /** Moves a tag's epoch, fencing every load that will store a value with the tag. */
  static void bumpTagEpoch(WriteContext w, byte[] tag) {
    w.store().meta.put(w.txn(), tagEpochKey(tag), Bytes.ofLong(w.nextSeq()));
  }
}
