package dev.larder.internal;

import java.nio.charset.StandardCharsets;
import org.lmdbjava.Txn;

/**
 * Where a cache view's keys live: the root, or a namespace's current generation.
 *
 * <p>A namespaced key is {@code [0x80][name length u8][name][generation u64][type tag][codec
 * bytes]}; root keys start with a type tag of 1 to 127, so the two never collide. The generation
 * is read from the {@code meta} database ({@code ns:<name>}) in the same transaction as the
 * operation, so that an invalidation is seen by every operation of every process that starts
 * after it. Invalidating stores a new generation taken from the version sequence, which never
 * repeats, so generations are never reused, also after reopening or clearing.
 */
public final class Space {
  public static final Space ROOT = new Space(null);
  public static final int MAX_NAME_BYTES = 200;
  static final int NAMESPACE_TAG = 0x80;

  private final String name;
  private final byte[] prefix;
  private final byte[] metaKey;

  private Space(String name) {
    this.name = name;
    if (name == null) {
      this.prefix = new byte[0];
      this.metaKey = null;
    } else {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      this.prefix = new byte[2 + n.length];
      prefix[0] = (byte) NAMESPACE_TAG;
      prefix[1] = (byte) n.length;
      System.arraycopy(n, 0, prefix, 2, n.length);
      this.metaKey = ("ns:" + name).getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * A namespace's space.
   *
   * @throws IllegalArgumentException if the name is empty or longer than {@value #MAX_NAME_BYTES}
   *     bytes of UTF-8
   */
  public static Space namespace(String name) {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("a namespace name must be 1 to " + MAX_NAME_BYTES
          + " bytes of UTF-8, got " + bytes);
    }
    return new Space(name);
  }

  public boolean isRoot() {
    return name == null;
  }

  public String name() {
    return name;
  }

  /** The length of the prefix {@link #resolve} puts before an inner key. */
  public int prefixLength() {
    return isRoot() ? 0 : prefix.length + 8;
  }

  /** The full key of {@code inner} in this space, as of transaction {@code txn}. */
  public byte[] resolve(Store s, Txn<byte[]> txn, byte[] inner) {
    if (isRoot()) {
      return inner;
    }
    byte[] full = new byte[prefix.length + 8 + inner.length];
    System.arraycopy(prefix, 0, full, 0, prefix.length);
    Bytes.putLong(full, prefix.length, generation(s, txn));
    System.arraycopy(inner, 0, full, prefix.length + 8, inner.length);
    return full;
  }

  public long generation(Store s, Txn<byte[]> txn) {
    byte[] g = s.meta.get(txn, metaKey);
    return g == null ? 0 : Bytes.getLong(g, 0);
  }

  /**
   * Starts a new generation in one write: every key of the old one becomes unreachable at once.
   * The old generation's entries are left for {@link #reclaimOld} and for eviction.
   */
  public long invalidate(WriteContext w) {
    long generation = w.nextSeq();
    w.store().meta.put(w.txn(), metaKey, Bytes.ofLong(generation));
    // A marker any process's maintenance picks up: reclamation survives the death of this one.
    w.store().meta.put(w.txn(), reclaimKey(name), new byte[0]);
    return generation;
  }

  static final String RECLAIM = "reclaim:";

  static byte[] reclaimKey(String name) {
    return (RECLAIM + name).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Removes up to {@code budget} entries of this namespace's older generations, which sort before
   * the current one; returns how many it looked at.
   */
  public int reclaimOld(WriteContext w, int budget) {
    Store s = w.store();
    long current = generation(s, w.txn());
    java.util.List<byte[][]> batch = new java.util.ArrayList<>();
    try (org.lmdbjava.Cursor<byte[]> c = s.entries.openCursor(w.txn())) {
      if (c.get(prefix, org.lmdbjava.GetOp.MDB_SET_RANGE)) {
        do {
          byte[] k = c.key();
          if (!Bytes.startsWith(k, prefix) || k.length < prefix.length + 8
              || Bytes.getLong(k, prefix.length) >= current) {
            break;
          }
          batch.add(new byte[][] {k, c.val()});
        } while (batch.size() < budget && c.next());
      }
    }
    for (byte[][] kv : batch) {
      try {
        w.remove(kv[0], Record.parse(kv[1]), State.NAMESPACE_EVICTIONS);
      } catch (dev.larder.CorruptionException e) {
        w.removeDamaged(kv[0]);
      }
    }
    return batch.size();
  }
}
