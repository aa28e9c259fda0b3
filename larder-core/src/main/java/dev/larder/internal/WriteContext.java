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
 * write fails with {@link CacheFullException}. The other policies evict the same way from their
 * own queues ({@link Policy}); LFU's one queue is ordered by priority, which is kept lazily like
 * store order (an entry whose priority rose since it was placed is moved, not evicted), and whose
 * front gives the cache age. Each write reads the age with one seek and caches it until the
 * order index changes.
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
  /** The LFU cache age, or -1 when the order index may have changed since it was read. */
  private long lfuAge = -1;

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
    EvictionPolicy policy = settings.policy();
    int queue;
    long position;
    if (old != null) {
      // A replacing write keeps the entry's place (see "Store order, kept lazily") and counts as a use.
      queue = old.queue();
      position = old.order();
      b.access(Policy.used(policy, old.access(), 1, seq, lfuAgeIf(policy)));
    } else {
      queue = placeNew(stored, policy);
      long access = Policy.initialAccess(policy, seq, lfuAgeIf(policy));
      position = queue == Policy.LFU ? freeLfuPosition(Policy.lfuPriority(access), seq) : seq;
      b.access(access);
    }
    b.version(seq).order(position).queue(queue).storedAt(now).fullKey(Keys.isLong(full) ? full : null);
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
      if (queue == Policy.SMALL) {
        count(State.SMALL_VOLUME, weight - old.weight(stored.length));
      }
      if (old.isBlob() && (blob == null || !Arrays.equals(old.blobId(), blob.id()))) {
        dropBlob(old.blobId());
      }
    } else {
      count(State.COUNT, 1);
      s.order.put(txn, queue, position, stored);
      lfuAge = -1;
      count(State.ORDER_ENTRIES, 1);
      if (queue == Policy.SMALL) {
        count(State.SMALL_COUNT, 1);
        count(State.SMALL_VOLUME, weight);
      }
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
    deleteOrder(OrderIndex.key(r.queue(), r.order()));
    if (r.queue() == Policy.SMALL) {
      count(State.SMALL_COUNT, -1);
      count(State.SMALL_VOLUME, -r.weight(stored.length));
    }
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

  /** Removes the load lease of a key, fencing its loader (an explicit delete invalidates a load). */
  public void dropLease(byte[] stored) {
    s.leases.delete(txn, stored);
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
    lfuAge = -1;
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

  private boolean overLimit() {
    return state[State.VOLUME] > settings.maxSize() || state[State.COUNT] > settings.maxEntries();
  }

  private void enforceLimits(byte[] protect, long weight) {
    if (!overLimit()) {
      return;
    }
    EvictionPolicy policy = settings.policy();
    if (policy == EvictionPolicy.NONE) {
      sweepExpired(FULL_SWEEP);
      if (overLimit()) {
        throw new CacheFullException("the cache is full: writing " + weight + " bytes would take it to "
            + state[State.COUNT] + " entries and " + state[State.VOLUME] + " bytes, over its limits of "
            + settings.maxEntries() + " entries and " + settings.maxSize()
            + " bytes, and the eviction policy is NONE");
      }
      return;
    }
    int skip = -1; // a queue whose front is the entry just written
    for (int steps = MAX_CULL_STEPS; steps > 0 && overLimit(); steps--) {
      int queue = victimQueue(policy, skip);
      if (queue < 0) {
        return;
      }
      // LFU has one queue: if its front is the entry just written, the one behind it goes instead.
      List<byte[][]> front = s.order.front(txn, queue, queue == Policy.LFU ? 2 : 1);
      byte[] key = front.get(0)[0];
      byte[] stored = front.get(0)[1];
      long position = OrderIndex.order(key);
      Record r = recordAt(stored, queue, position);
      if (r == null) {
        deleteOrder(key); // damaged; check() reports it
        continue;
      }
      Decision d = decide(policy, queue, r);
      if (d == Decision.EVICT && front.size() > 1 && Arrays.equals(stored, protect)) {
        key = front.get(1)[0];
        stored = front.get(1)[1];
        position = OrderIndex.order(key);
        r = recordAt(stored, queue, position);
        if (r == null) {
          deleteOrder(key);
          continue;
        }
        d = decide(policy, queue, r);
      }
      if (d == Decision.EVICT && Arrays.equals(stored, protect)) {
        if (skip >= 0) {
          return; // only the entry just written is left
        }
        skip = queue;
        continue;
      }
      switch (d) {
        case EVICT:
          int cause = state[State.VOLUME] > settings.maxSize() ? State.EVICTIONS : State.EVICTIONS_BY_COUNT;
          remove(stored, r, cause);
          if (queue == Policy.SMALL) {
            addGhost(stored);
          }
          break;
        case TO_VERSION:
          move(stored, r, key, queue, Math.max(r.version(), policy == EvictionPolicy.LEAST_RECENTLY_USED ? r.access() : 0), r.access());
          break;
        case TO_MAIN:
          move(stored, r, key, Policy.MAIN, nextSeq(), 0);
          break;
        case AGAIN_IN_MAIN:
          move(stored, r, key, Policy.MAIN, nextSeq(), r.access() - 1);
          break;
        case TO_PRIORITY: {
          // From queue 32: to its priority. From an old-format queue: placed as if just stored
          // with its count (see Policy, "Old format").
          long access = queue == Policy.LFU ? r.access() : Policy.lfuUsed(r.access(), 0, lfuAge());
          move(stored, r, key, Policy.LFU, freeLfuPosition(Policy.lfuPriority(access), nextSeq()), access);
          break;
        }
        default:
          throw new AssertionError(d);
      }
    }
  }

  private enum Decision { EVICT, TO_VERSION, TO_MAIN, AGAIN_IN_MAIN, TO_PRIORITY }

  /** What to do with the front entry {@code r} of {@code queue}. */
  private static Decision decide(EvictionPolicy policy, int queue, Record r) {
    if (!Policy.owns(policy, queue)) {
      return Decision.EVICT; // left by another policy
    }
    switch (policy) {
      case LEAST_RECENTLY_STORED:
        return r.version() > r.order() ? Decision.TO_VERSION : Decision.EVICT;
      case LEAST_RECENTLY_USED:
        return Math.max(r.version(), r.access()) > r.order() ? Decision.TO_VERSION : Decision.EVICT;
      case LEAST_FREQUENTLY_USED:
        if (queue != Policy.LFU) {
          return Decision.TO_PRIORITY; // old format
        }
        return Policy.lfuPriority(r.access()) > Policy.lfuPositionPriority(r.order())
            ? Decision.TO_PRIORITY : Decision.EVICT;
      case S3_FIFO:
        if (queue == Policy.SMALL) {
          return r.access() > 0 ? Decision.TO_MAIN : Decision.EVICT;
        }
        return r.access() > 0 ? Decision.AGAIN_IN_MAIN : Decision.EVICT;
      default:
        throw new AssertionError(policy);
    }
  }

  /** The queue to evict from next, or -1 if none has entries (other than {@code skip}). */
  private int victimQueue(EvictionPolicy policy, int skip) {
    if (state[State.FOREIGN_QUEUES] != 0) {
      // The policy changed: empty the queues of the old one first.
      boolean foreign = false;
      for (int q : s.order.queues(txn)) {
        if (q == Policy.GHOST && policy != EvictionPolicy.S3_FIFO) {
          clearGhosts();
        } else if (!Policy.owns(policy, q)) {
          foreign = true;
          if (q != skip) {
            return q;
          }
        }
      }
      if (!foreign) {
        count(State.FOREIGN_QUEUES, -state[State.FOREIGN_QUEUES]);
      }
    }
    switch (policy) {
      case S3_FIFO: {
        boolean smallFull = state[State.COUNT] > settings.maxEntries()
            ? state[State.SMALL_COUNT] * 10 >= settings.maxEntries()
            : state[State.SMALL_VOLUME] * 10 >= settings.maxSize();
        int first = smallFull ? Policy.SMALL : Policy.MAIN;
        int second = smallFull ? Policy.MAIN : Policy.SMALL;
        if (first != skip && !s.order.front(txn, first, 1).isEmpty()) {
          return first;
        }
        return second != skip && !s.order.front(txn, second, 1).isEmpty() ? second : -1;
      }
      case LEAST_FREQUENTLY_USED: {
        // One seek finds the old-format queues (16 to 31) first if any entry is left in them,
        // else the LFU queue.
        int q = lowestQueueFrom(Policy.LFU_OLD_FIRST);
        return q != skip && Policy.owns(policy, q) ? q : -1;
      }
      default:
        return Policy.RECENCY != skip && !s.order.front(txn, Policy.RECENCY, 1).isEmpty() ? Policy.RECENCY : -1;
    }
  }

  /** The queue of a new entry: S3-FIFO's main queue if its key is in the ghost queue. */
  private int placeNew(byte[] stored, EvictionPolicy policy) {
    switch (policy) {
      case S3_FIFO: {
        byte[] ghost = s.ghosts.get(txn, stored);
        if (ghost == null) {
          return Policy.SMALL;
        }
        s.ghosts.delete(txn, stored);
        s.order.delete(txn, OrderIndex.key(Policy.GHOST, Bytes.getLong(ghost, 0)));
        count(State.GHOSTS, -1);
        return Policy.MAIN;
      }
      case LEAST_FREQUENTLY_USED:
        return Policy.LFU;
      default:
        return Policy.RECENCY;
    }
  }

  /** Remembers an entry evicted from S3-FIFO's small queue; the ghost queue is as long as the main one. */
  private void addGhost(byte[] stored) {
    long seq = nextSeq();
    byte[] previous = s.ghosts.get(txn, stored);
    if (previous != null) {
      s.order.delete(txn, OrderIndex.key(Policy.GHOST, Bytes.getLong(previous, 0)));
      count(State.GHOSTS, -1);
    }
    s.ghosts.put(txn, stored, Bytes.ofLong(seq));
    s.order.put(txn, Policy.GHOST, seq, stored);
    count(State.GHOSTS, 1);
    long mainEntries = Math.max(1, state[State.COUNT] - state[State.SMALL_COUNT]);
    while (state[State.GHOSTS] > mainEntries) {
      List<byte[][]> oldest = s.order.front(txn, Policy.GHOST, 1);
      if (oldest.isEmpty()) {
        break;
      }
      s.order.delete(txn, oldest.get(0)[0]);
      byte[] at = s.ghosts.get(txn, oldest.get(0)[1]);
      if (at != null && Bytes.getLong(at, 0) == OrderIndex.order(oldest.get(0)[0])) {
        s.ghosts.delete(txn, oldest.get(0)[1]);
      }
      count(State.GHOSTS, -1);
    }
  }

  private void clearGhosts() {
    while (true) {
      List<byte[][]> batch = s.order.front(txn, Policy.GHOST, 1024);
      if (batch.isEmpty()) {
        break;
      }
      for (byte[][] kv : batch) {
        s.order.delete(txn, kv[0]);
      }
    }
    s.ghosts.drop(txn);
    count(State.GHOSTS, -state[State.GHOSTS]);
  }

  /** The record an order-index entry points to, or null if it does not point back. */
  private Record recordAt(byte[] stored, int queue, long position) {
    byte[] b = s.entries.get(txn, stored);
    if (b == null) {
      return null;
    }
    try {
      Record r = Record.parse(b);
      return r.queue() == queue && r.order() == position ? r : null;
    } catch (CorruptionException e) {
      return null;
    }
  }

  /** The lowest queue from {@code queue} on that has entries, or -1 (one cursor seek). */
  private int lowestQueueFrom(int queue) {
    try (Cursor<byte[]> c = s.main.openCursor(txn)) {
      if (c.get(OrderIndex.key(queue, 0), org.lmdbjava.GetOp.MDB_SET_RANGE) && OrderIndex.isOrderKey(c.key())) {
        return OrderIndex.queue(c.key());
      }
    }
    return -1;
  }

  /** The LFU cache age: the priority of the front of the LFU queue, or 0 when it is empty. */
  private long lfuAge() {
    if (lfuAge < 0) {
      List<byte[][]> front = s.order.front(txn, Policy.LFU, 1);
      lfuAge = front.isEmpty() ? 0 : Policy.lfuPositionPriority(OrderIndex.order(front.get(0)[0]));
    }
    return lfuAge;
  }

  private long lfuAgeIf(EvictionPolicy policy) {
    return policy == EvictionPolicy.LEAST_FREQUENTLY_USED ? lfuAge() : 0;
  }

  /**
   * An unused LFU-queue position for {@code priority} placed at {@code seq}. Positions are unique
   * while sequence numbers fit in 32 bits; past that, a taken one is skipped.
   */
  private long freeLfuPosition(long priority, long seq) {
    long position = Policy.lfuPosition(priority, seq);
    if (state[State.SEQ] > 0xFFFF_FFFFL) {
      while (s.order.get(txn, OrderIndex.key(Policy.LFU, position)) != null) {
        position = Policy.lfuNextPosition(position);
      }
    }
    return position;
  }

  /** Moves an entry's order-index entry to {@code (queue, position)} with a new use field. */
  private void move(byte[] stored, Record r, byte[] orderKey, int queue, long position, long access) {
    lfuAge = -1;
    s.order.delete(txn, orderKey);
    s.order.put(txn, queue, position, stored);
    s.entries.put(txn, stored, Record.withPlace(r.bytes(), queue, position, access));
    long weight = r.weight(stored.length);
    if (r.queue() == Policy.SMALL) {
      count(State.SMALL_COUNT, -1);
      count(State.SMALL_VOLUME, -weight);
    }
    if (queue == Policy.SMALL) {
      count(State.SMALL_COUNT, 1);
      count(State.SMALL_VOLUME, weight);
    }
  }

  /**
   * Applies uses noted by readers: {@code uses} reads of {@code stored}, in the order given.
   * Entries gone or expired meanwhile are skipped; a record whose use field would not change is
   * not rewritten.
   */
  void applyUses(List<AccessBuffer.Use> list) {
    EvictionPolicy policy = settings.policy();
    if (!Policy.tracksReads(policy)) {
      return;
    }
    for (AccessBuffer.Use u : list) {
      byte[] b = s.entries.get(txn, u.stored());
      if (b == null) {
        continue;
      }
      Record r;
      try {
        r = Record.parse(b);
      } catch (CorruptionException e) {
        continue;
      }
      if (r.isExpired(now)) {
        continue;
      }
      long seq = policy == EvictionPolicy.LEAST_RECENTLY_USED ? nextSeq() : 0;
      long access = Policy.used(policy, r.access(), u.count(), seq, lfuAgeIf(policy));
      if (access != r.access()) {
        s.entries.put(txn, u.stored(), Record.withAccess(b, access));
      }
    }
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

  /**
   * Removes up to {@code budget} entries carrying {@code tag}; returns {removed, index entries
   * looked at}. Index entries whose record no longer has the tag are deleted as stale.
   */
  public int[] evictTag(byte[] tag, int budget) {
    List<byte[]> batch = new ArrayList<>();
    try (Cursor<byte[]> c = s.tags.openCursor(txn)) {
      if (c.get(tag, org.lmdbjava.GetOp.MDB_SET_KEY)) {
        do {
          batch.add(c.val());
        } while (batch.size() < budget && c.seek(org.lmdbjava.SeekOp.MDB_NEXT_DUP));
      }
    }
    int removed = 0;
    for (byte[] stored : batch) {
      byte[] raw = s.entries.get(txn, stored);
      Record r = null;
      if (raw != null) {
        try {
          r = Record.parse(raw);
        } catch (CorruptionException e) {
          r = null;
        }
      }
      boolean tagged = false;
      if (r != null) {
        for (byte[] t : r.tagBytes()) {
          tagged |= Arrays.equals(t, tag);
        }
      }
      if (tagged) {
        remove(stored, r, State.TAG_EVICTIONS);
        removed++;
      } else {
        s.tags.delete(txn, tag, stored);
      }
    }
    Leases.bumpTagEpoch(this, tag);
    return new int[] {removed, batch.size()};
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
    lfuAge = -1;
    while (true) {
      int queue = s.order.lowestQueue(txn);
      if (queue < 0) {
        break;
      }
      for (byte[][] kv : s.order.front(txn, queue, 1024)) {
        s.order.delete(txn, kv[0]);
      }
    }
    s.ghosts.drop(txn);
    s.leases.drop(txn);
    count(State.ORDER_ENTRIES, -state[State.ORDER_ENTRIES]);
    count(State.SMALL_COUNT, -state[State.SMALL_COUNT]);
    count(State.SMALL_VOLUME, -state[State.SMALL_VOLUME]);
    count(State.GHOSTS, -state[State.GHOSTS]);
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
    if (deadBlobs != null) {
      // Announced while this process still holds the write transaction, so that a check() that
      // runs between the commit and the unlinks does not report these files as orphans.
      s.unlinking(deadBlobs, true);
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
      try {
        for (byte[] id : deadBlobs) {
          s.blobs().delete(id);
        }
      } finally {
        s.unlinking(deadBlobs, false);
      }
    }
  }

  void discardInstalled() {
    if (deadBlobs != null) {
      s.unlinking(deadBlobs, false);
    }
    if (installed != null) {
      for (Blobs.Staged b : installed) {
        s.blobs().uninstall(b);
      }
    }
  }
}
