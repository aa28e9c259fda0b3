package dev.larder.internal;

import dev.larder.CacheFullException;
import dev.larder.CorruptionException;
import dev.larder.EvictionPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lmdbjava.Cursor;
import org.lmdbjava.Txn;

/**
 * One write transaction: reads and writes entries and keeps the indexes and counters in step with
 * them, in the same transaction.
 *
 * <h2>Indexes</h2>
 *
 * <ul>
 *   <li>store order ({@link OrderIndex}): {@code [0x00][queue u8][position u64]} to the LMDB key,
 *       exactly one per entry, at the position its record names.
 *   <li>{@code expiry}: {@code [expiresAt u64][LMDB key]} to nothing, for sweeps in expiry order.
 *   <li>{@code tags}: tag to LMDB key, with sorted duplicates.
 * </ul>
 *
 * <h2>Store order, kept lazily</h2>
 *
 * Every store takes a new version from one sequence; least-recently-stored order is version
 * order. An entry's order-index position is the version it had when it was placed, and a
 * replacing store does not move it: moving it would delete a key on a random page of the index,
 * which measured at about 40% of the cost of a put. So an entry's position is at or before its
 * version. Eviction takes the front entry: if its version equals its position it is the least
 * recently stored and goes; otherwise it was stored again since, and it is moved to the position
 * of its version (where eager maintenance would have put it) and looked at again later. Each entry
 * moves at most once per trip to the front, however often it was stored meanwhile (CLOCK's second
 * chance, with the exact order kept).
 *
 * <h2>Eviction</h2>
 *
 * After each store the volume is compared with the size limit. Under {@code
 * LEAST_RECENTLY_STORED} entries are evicted from the front until the volume is within the limit,
 * doing at most {@value #MAX_CULL_STEPS} evictions and moves per write, never evicting the entry
 * just written. Under {@code NONE}, expired entries are swept and, if that is not enough, the
 * write fails with {@link CacheFullException}.
 */
public final class WriteContext {
  static final int MAX_CULL_STEPS = 4096;
  static final int LAZY_SWEEP = 16;
  public static final int FULL_SWEEP = 1024;
  private static final byte[] EMPTY = new byte[0];

  private final Store s;
  private final Txn<byte[]> txn;
  private final long now;
  private final long[] state;
  private final Settings settings;
  private boolean stateDirty;
  private int lastSweepExamined;
  private List<byte[]> deadBlobs;
  private List<Blobs.Staged> installed;

  WriteContext(Store s, Txn<byte[]> txn, long now) {
    this.s = s;
    this.txn = txn;
    this.now = now;
    this.state = State.decode(s.main.get(txn, Store.K_STATE));
    this.settings = s.settingsFor(txn, state[State.SETTINGS_VERSION]);
  }

  public Txn<byte[]> txn() {
    return txn;
  }

  public long now() {
    return now;
  }

  public Settings settings() {
    return settings;
  }

  public Store store() {
    return s;
  }

  public long state(int index) {
    return state[index];
  }

  public void count(int index, long delta) {
    if (delta != 0) {
      state[index] += delta;
      stateDirty = true;
    }
  }

  long nextSeq() {
    stateDirty = true;
    return ++state[State.SEQ];
  }

  // ---- reading ----------------------------------------------------------------------------------

  /**
   * The record stored for a key, expired or not, or null.
   *
   * @throws CorruptionException if the record does not parse
   */
  public Record find(byte[] stored, byte[] full) {
    byte[] b = s.entries.get(txn, stored);
    if (b == null) {
      return null;
    }
    Record r = parse(b, stored);
    return matches(r, full) ? r : null;
  }

  static boolean matches(Record r, byte[] full) {
    return r.hasFullKey() ? r.fullKeyEquals(full) : !Keys.isLong(full);
  }

  static Record parse(byte[] b, byte[] stored) {
    try {
      return Record.parse(b);
    } catch (CorruptionException e) {
      throw new CorruptionException(null, e.offset(), "the record of key " + Bytes.describe(stored)
          + " is damaged (" + e.getMessage() + "); check(true) removes it");
    }
  }

  /** The live record for a key, or null; an expired record is removed on the way. */
  public Record live(byte[] stored, byte[] full) {
    Record r = find(stored, full);
    if (r != null && r.isExpired(now)) {
      remove(stored, r, State.EXPIRATIONS);
      return null;
    }
    return r;
  }

  // ---- writing ----------------------------------------------------------------------------------

  /**
   * Stores the record that {@code b} describes under a new version, replacing {@code old} (as
   * {@link #find} returned it). With {@code blob}, installs the staged file and refers to it.
   *
   * @throws IllegalArgumentException if the entry alone exceeds the size limit
   * @throws CacheFullException if the policy is NONE and the cache has no room
   */
  public void store(byte[] stored, byte[] full, Record old, Record.Builder b, Blobs.Staged blob)
      throws IOException {
    if (blob != null) {
      b.blob(blob.id(), blob.size(), blob.crc());
    }
    long seq = nextSeq();
    long position = old != null ? old.order() : seq;
    b.version(seq).order(position).storedAt(now).fullKey(Keys.isLong(full) ? full : null);
    byte[] rec = b.build();
    long weight = stored.length + rec.length + (blob != null ? blob.size() : 0);
    if (weight > settings.maxSize()) {
      throw new IllegalArgumentException("entry of " + weight + " bytes for key " + Bytes.describe(full)
          + " is larger than the size limit of " + settings.maxSize() + " bytes");
    }
    if (blob != null) {
      s.blobs().install(blob);
      installed().add(blob);
      s.blobRefs.put(txn, blob.id(), stored);
    }
    if (old != null) {
      unindexExpiryAndTags(stored, old);
      count(State.VOLUME, -old.weight(stored.length));
      if (old.isBlob() && (blob == null || !Arrays.equals(old.blobId(), blob.id()))) {
        dropBlob(old.blobId());
      }
    } else {
      count(State.COUNT, 1);
      s.order.put(txn, 0, position, stored);
      count(State.ORDER_ENTRIES, 1);
    }
    s.entries.put(txn, stored, rec);
    indexExpiry(stored, b.expiresAt);
    for (byte[] tag : b.tags) {
      s.tags.put(txn, tag, stored);
    }
    count(State.VOLUME, weight);
    count(State.PUTS, 1);
    enforceLimits(stored, weight);
  }

  /** Replaces a record with a copy that differs only in its expiry time. */
  public void rewriteExpiry(byte[] stored, Record old, long expiresAt) {
    byte[] rec = Record.withExpiresAt(old.bytes(), expiresAt);
    unindexExpiry(stored, old.expiresAt());
    s.entries.put(txn, stored, rec);
    indexExpiry(stored, expiresAt);
  }

  /** Removes an entry, counting it under {@code cause} (a {@link State} index). */
  public void remove(byte[] stored, Record r, int cause) {
    s.entries.delete(txn, stored);
    deleteOrder(OrderIndex.key(0, r.order()));
    unindexExpiryAndTags(stored, r);
    count(State.COUNT, -1);
    count(State.VOLUME, -r.weight(stored.length));
    count(cause, 1);
    if (r.isBlob()) {
      dropBlob(r.blobId());
    }
  }

  /** Forgets a value file; the file itself is deleted after the commit. */
  private void dropBlob(byte[] id) {
    s.blobRefs.delete(txn, id);
    deadBlobs().add(id);
  }

  /** Removes an entry whose record does not parse; its index entries are left for check. */
  public void removeDamaged(byte[] stored) {
    byte[] raw = s.entries.get(txn, stored);
    if (raw != null) {
      s.entries.delete(txn, stored);
      count(State.COUNT, -1);
      count(State.VOLUME, -(stored.length + raw.length));
      count(State.DELETES, 1);
    }
  }

  private void unindexExpiryAndTags(byte[] stored, Record r) {
    unindexExpiry(stored, r.expiresAt());
    for (byte[] tag : r.tagBytes()) {
      s.tags.delete(txn, tag, stored);
    }
  }

  private void indexExpiry(byte[] stored, long expiresAt) {
    if (expiresAt != 0) {
      s.expiry.put(txn, expiryKey(expiresAt, stored), expiryValue(stored));
      if (expiresAt < s.nextExpirySweep()) {
        s.nextExpirySweep(expiresAt);
      }
    }
  }

  private void unindexExpiry(byte[] stored, long expiresAt) {
    if (expiresAt != 0) {
      s.expiry.delete(txn, expiryKey(expiresAt, stored));
    }
  }

  private void deleteOrder(byte[] key) {
    if (s.order.delete(txn, key)) {
      count(State.ORDER_ENTRIES, -1);
    }
  }

  /** The longest LMDB key whose expiry-index key is the time followed by the key itself. */
  static final int EXPIRY_INLINE_KEY = Keys.MAX_STORED_KEY - 8;

  /**
   * The expiry-index key: {@code [expiresAt u64][LMDB key]}, or for an LMDB key longer than {@value
   * #EXPIRY_INLINE_KEY} bytes (the whole would pass LMDB's 511-byte limit), the time, the key's first
   * 471 bytes and its SHA-256, with the key itself kept as the index value.
   */
  static byte[] expiryKey(long expiresAt, byte[] stored) {
    if (stored.length <= EXPIRY_INLINE_KEY) {
      byte[] k = new byte[8 + stored.length];
      Bytes.putLong(k, 0, expiresAt);
      System.arraycopy(stored, 0, k, 8, stored.length);
      return k;
    }
    byte[] k = new byte[Keys.MAX_STORED_KEY];
    Bytes.putLong(k, 0, expiresAt);
    System.arraycopy(stored, 0, k, 8, Keys.MAX_STORED_KEY - 8 - 32);
    System.arraycopy(Keys.sha256(stored), 0, k, Keys.MAX_STORED_KEY - 32, 32);
    return k;
  }

  static byte[] expiryValue(byte[] stored) {
    return stored.length <= EXPIRY_INLINE_KEY ? EMPTY : stored;
  }

  /** The LMDB key an expiry-index entry stands for. */
  static byte[] expiryStored(byte[] key, byte[] value) {
    return value.length > 0 ? value : Arrays.copyOfRange(key, 8, key.length);
  }

  // ---- limits and sweeps -----------------------------------------------------------------------------

  private void enforceLimits(byte[] protect, long weight) {
    long max = settings.maxSize();
    if (state[State.VOLUME] <= max) {
      return;
    }
    if (settings.policy() == EvictionPolicy.NONE) {
      sweepExpired(FULL_SWEEP);
      if (state[State.VOLUME] > max) {
        throw new CacheFullException("the cache is full: writing " + weight + " bytes would take its volume to "
            + state[State.VOLUME] + " bytes, over the size limit of " + max
            + " bytes, and the eviction policy is NONE");
      }
      return;
    }
    int steps = MAX_CULL_STEPS;
    while (state[State.VOLUME] > max && steps > 0) {
      List<byte[][]> batch = s.order.front(txn, 0, Math.min(steps, 64));
      if (batch.isEmpty()) {
        return;
      }
      for (byte[][] kv : batch) {
        steps--;
        byte[] stored = kv[1];
        long position = OrderIndex.order(kv[0]);
        Record r = recordAt(stored, position);
        if (r == null) {
          deleteOrder(kv[0]); // damaged; check() reports it
        } else if (r.version() > position) {
          move(stored, r, kv[0]); // stored again since it was placed: not the oldest after all
        } else if (Arrays.equals(stored, protect)) {
          return; // only the entry just written is left
        } else {
          remove(stored, r, State.EVICTIONS);
          if (state[State.VOLUME] <= max) {
            return;
          }
        }
      }
    }
  }

  /** The record an order-index entry points to, or null if it does not point back. */
  private Record recordAt(byte[] stored, long position) {
    byte[] b = s.entries.get(txn, stored);
    if (b == null) {
      return null;
    }
    try {
      Record r = Record.parse(b);
      return r.order() == position ? r : null;
    } catch (CorruptionException e) {
      return null;
    }
  }

  /** Moves an entry's order-index entry to the position of its version. */
  private void move(byte[] stored, Record r, byte[] orderKey) {
    s.order.delete(txn, orderKey);
    s.order.put(txn, 0, r.version(), stored);
    s.entries.put(txn, stored, Record.withOrder(r.bytes(), r.version()));
  }

  /**
   * Removes up to {@code budget} expired entries, oldest expiry first.
   *
   * @return the number removed
   */
  public int sweepExpired(int budget) {
    List<byte[][]> batch = new ArrayList<>();
    long nextTime = Long.MAX_VALUE;
    try (Cursor<byte[]> c = s.expiry.openCursor(txn)) {
      if (c.first()) {
        do {
          byte[] k = c.key();
          long t = Bytes.getLong(k, 0);
          if (t > now || batch.size() >= budget) {
            nextTime = t;
            break;
          }
          batch.add(new byte[][] {k, c.val()});
        } while (c.next());
      }
    }
    int removed = 0;
    lastSweepExamined = batch.size();
    for (byte[][] kv : batch) {
      byte[] stored = expiryStored(kv[0], kv[1]);
      Record r = expiringRecord(stored, Bytes.getLong(kv[0], 0));
      if (r == null) {
        s.expiry.delete(txn, kv[0]);
      } else {
        remove(stored, r, State.EXPIRATIONS);
        removed++;
      }
    }
    // Another process may add earlier expiries; look again within a minute regardless.
    s.nextExpirySweep(Math.min(nextTime, now + 60_000));
    return removed;
  }

  private Record expiringRecord(byte[] stored, long expiresAt) {
    byte[] b = s.entries.get(txn, stored);
    if (b == null) {
      return null;
    }
    try {
      Record r = Record.parse(b);
      return r.expiresAt() == expiresAt ? r : null;
    } catch (CorruptionException e) {
      return null;
    }
  }

  /** The number of index entries the last {@link #sweepExpired} looked at. */
  public int lastSweepExamined() {
    return lastSweepExamined;
  }

  /** Removes every entry; their value files are deleted after the commit. */
  public void clearAll() {
    long n = 0;
    try (Cursor<byte[]> c = s.entries.openCursor(txn)) {
      if (c.first()) {
        do {
          n++;
          try {
            Record r = Record.parse(c.val());
            if (r.isBlob()) {
              deadBlobs().add(r.blobId());
            }
          } catch (CorruptionException e) {
            // a damaged record has no file we can name; check(true) removes orphans
          }
        } while (c.next());
      }
    }
    s.entries.drop(txn);
    while (true) {
      List<byte[][]> batch = s.order.front(txn, 0, 1024);
      if (batch.isEmpty()) {
        break;
      }
      for (byte[][] kv : batch) {
        deleteOrder(kv[0]);
      }
    }
    s.expiry.drop(txn);
    s.tags.drop(txn);
    s.blobRefs.drop(txn);
    count(State.DELETES, n);
    count(State.COUNT, -state[State.COUNT]);
    count(State.VOLUME, -state[State.VOLUME]);
  }

  void finish() {
    if (now != Store.NO_CLOCK && now >= s.nextExpirySweep()) {
      sweepExpired(LAZY_SWEEP);
    }
    if (stateDirty) {
      s.main.put(txn, Store.K_STATE, State.encode(state));
    }
  }

  private List<byte[]> deadBlobs() {
    if (deadBlobs == null) {
      deadBlobs = new ArrayList<>();
    }
    return deadBlobs;
  }

  private List<Blobs.Staged> installed() {
    if (installed == null) {
      installed = new ArrayList<>();
    }
    return installed;
  }

  void afterCommit() {
    if (deadBlobs != null) {
      for (byte[] id : deadBlobs) {
        s.blobs().delete(id);
      }
    }
  }

  void discardInstalled() {
    if (installed != null) {
      for (Blobs.Staged b : installed) {
        s.blobs().uninstall(b);
      }
    }
  }
}
