package dev.larder.internal;

import dev.larder.CorruptionException;
import dev.larder.Finding;
import dev.larder.Finding.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.lmdbjava.Cursor;
import org.lmdbjava.LmdbException;
import org.lmdbjava.SeekOp;
import org.lmdbjava.Txn;

/**
 * {@code Cache.check}: verifies records, indexes, counters and value files, and repairs them.
 *
 * <h2>Phases</h2>
 *
 * <ol>
 *   <li>In one write transaction: parse every record and verify inline checksums; check that each
 *       record's index entries exist and that each index entry points to a record that agrees;
 *       recompute the count and volume; list value files that no record names. Holding the write
 *       lock makes the orphan list exact (see {@link Blobs}).
 *   <li>Outside any transaction: read every value file named by a record and verify its length and
 *       checksum.
 *   <li>With {@code fix}, in a second write transaction: remove the entries whose value files were
 *       bad, if they still name the same file.
 * </ol>
 */
public final class Checker {
  private static final byte[] EMPTY = new byte[0];

  private final Store s;
  private final List<Finding> findings = new ArrayList<>();

  /** A record's value file, to verify outside the transaction. */
  private record BlobRef(byte[] stored, byte[] id, long size, int crc) {}

  public Checker(Store s) {
    this.s = s;
  }

  public List<Finding> run(boolean fix) {
    // Store.NO_CLOCK: the walk's transaction must not sweep expired entries (and delete their files)
    // under it; check looks at the cache as it is.
    List<BlobRef> refs = s.write(w -> walk(w, fix), Store.NO_CLOCK);
    List<BlobRef> bad = verifyFiles(refs, fix);
    if (fix && !bad.isEmpty()) {
      s.write(w -> {
        for (BlobRef b : bad) {
          byte[] raw = s.entries.get(w.txn(), b.stored());
          if (raw == null) {
            continue;
          }
          Record r = Record.parse(raw);
          if (r.isBlob() && Arrays.equals(r.blobId(), b.id())) {
            w.remove(b.stored(), r, State.DELETES);
          }
        }
        return null;
      }, Store.NO_CLOCK);
    }
    return List.copyOf(findings);
  }

  private void add(Kind kind, String subject, String message, boolean fixed) {
    findings.add(new Finding(kind, subject, message, fixed));
  }

  private List<BlobRef> walk(WriteContext w, boolean fix) throws IOException {
    Txn<byte[]> txn = w.txn();
    List<BlobRef> refs = new ArrayList<>();
    Set<ByteBuffer> referenced = new HashSet<>();
    List<byte[]> damaged = new ArrayList<>();
    List<Record> damagedValues = new ArrayList<>();
    List<byte[]> damagedValueKeys = new ArrayList<>();
    long count = 0;
    long volume = 0;
    try {
      try (Cursor<byte[]> c = s.entries.openCursor(txn)) {
        if (c.first()) {
          do {
            byte[] stored = c.key();
            Record r;
            try {
              r = Record.parse(c.val());
              byte[] full = r.hasFullKey() ? r.fullKey() : stored;
              if (!Arrays.equals(Keys.stored(full), stored)) {
                throw new CorruptionException(null, -1, "its full key does not hash to its LMDB key");
              }
            } catch (CorruptionException e) {
              damaged.add(stored);
              add(Kind.CORRUPT_RECORD, Bytes.describe(stored), e.getMessage(), fix);
              continue;
            }
            if (!r.isBlob() && !r.inlineChecksumOk()) {
              damagedValues.add(r);
              damagedValueKeys.add(stored);
              add(Kind.CHECKSUM_MISMATCH, Bytes.describe(stored), "inline value fails its CRC32C checksum", fix);
              continue;
            }
            count++;
            volume += r.weight(stored.length);
            if (r.isBlob()) {
              refs.add(new BlobRef(stored, r.blobId(), r.valueSize(), r.crc()));
              referenced.add(ByteBuffer.wrap(r.blobId()));
              byte[] ref = s.blobRefs.get(txn, r.blobId());
              if (ref == null || !Arrays.equals(ref, stored)) {
                add(Kind.INDEX_MISMATCH, Bytes.describe(stored), "missing from the value-file index", fix);
                if (fix) {
                  s.blobRefs.put(txn, r.blobId(), stored);
                }
              }
            }
            checkIndexes(w, stored, r, fix);
          } while (c.next());
        }
      }
      if (fix) {
        for (byte[] stored : damaged) {
          w.removeDamaged(stored);
        }
        for (int i = 0; i < damagedValues.size(); i++) {
          w.remove(damagedValueKeys.get(i), damagedValues.get(i), State.DELETES);
        }
      }
      checkStaleIndexes(w, fix);
    } catch (LmdbException e) {
      add(Kind.STORAGE_ERROR, s.dataFile().toString(), "LMDB failed while walking the cache: " + e, false);
      return List.of();
    }
    checkCounters(w, count, volume, damaged.size(), damagedValues, damagedValueKeys, fix);
    checkFiles(referenced, fix);
    return refs;
  }

  private void checkIndexes(WriteContext w, byte[] stored, Record r, boolean fix) {
    Txn<byte[]> txn = w.txn();
    if (r.queue() == Policy.RECENCY && r.order() > Math.max(r.version(), r.access())) {
      add(Kind.INDEX_MISMATCH, Bytes.describe(stored), "store-order position " + r.order()
          + " is after its last store or use " + Math.max(r.version(), r.access()), false);
    }
    byte[] orderKey = OrderIndex.key(r.queue(), r.order());
    byte[] indexed = s.order.get(txn, orderKey);
    if (indexed == null || !Arrays.equals(indexed, stored)) {
      add(Kind.INDEX_MISMATCH, Bytes.describe(stored), "missing from the store-order index", fix);
      if (fix) {
        s.order.put(txn, r.queue(), r.order(), stored);
        if (indexed == null) {
          w.count(State.ORDER_ENTRIES, 1);
        }
      }
    }
    if (r.expiresAt() != 0) {
      byte[] expiryKey = WriteContext.expiryKey(r.expiresAt(), stored);
      if (s.expiry.get(txn, expiryKey) == null) {
        add(Kind.INDEX_MISMATCH, Bytes.describe(stored), "missing from the expiry index", fix);
        if (fix) {
          s.expiry.put(txn, expiryKey, WriteContext.expiryValue(stored));
        }
      }
    }
    for (byte[] tag : r.tagBytes()) {
      boolean present;
      try (Cursor<byte[]> c = s.tags.openCursor(txn)) {
        present = c.get(tag, stored, SeekOp.MDB_GET_BOTH);
      }
      if (!present) {
        add(Kind.INDEX_MISMATCH, Bytes.describe(stored), "missing from the index of tag '"
            + new String(tag, java.nio.charset.StandardCharsets.UTF_8) + "'", fix);
        if (fix) {
          s.tags.put(txn, tag, stored);
        }
      }
    }
  }

  /** Index entries that point to no record, or to a record that disagrees. */
  private void checkStaleIndexes(WriteContext w, boolean fix) {
    Txn<byte[]> txn = w.txn();
    List<byte[]> staleOrder = new ArrayList<>();
    long orderEntries = 0;
    long smallCount = 0;
    long smallVolume = 0;
    long ghosts = 0;
    List<byte[]> staleGhosts = new ArrayList<>();
    for (int queue = 0; queue < 256; queue++) {
      byte[] from = OrderIndex.key(queue, 0);
      while (true) {
        List<byte[][]> batch = s.order.read(txn, queue, from, 4096);
        for (byte[][] kv : batch) {
          if (queue == Policy.GHOST) {
            ghosts++;
            byte[] at = s.ghosts.get(txn, kv[1]);
            if (at == null || Bytes.getLong(at, 0) != OrderIndex.order(kv[0])) {
              staleGhosts.add(kv[0]);
            }
            continue;
          }
          orderEntries++;
          Record r = recordOf(txn, kv[1]);
          if (r == null || r.queue() != queue || r.order() != OrderIndex.order(kv[0])) {
            staleOrder.add(kv[0]);
          } else if (queue == Policy.SMALL) {
            smallCount++;
            smallVolume += r.weight(kv[1].length);
          }
        }
        if (batch.size() < 4096) {
          break;
        }
        from = OrderIndex.key(queue, OrderIndex.order(batch.get(batch.size() - 1)[0]) + 1);
      }
    }
    for (byte[] k : staleGhosts) {
      add(Kind.INDEX_MISMATCH, "ghost " + OrderIndex.order(k), "ghost-queue entry without its set entry", fix);
      if (fix) {
        s.order.delete(txn, k);
        ghosts--;
      }
    }
    long ghostSet = s.ghosts.stat(txn).entries;
    if (ghostSet != ghosts) {
      add(Kind.INDEX_MISMATCH, "ghosts", "ghost set has " + ghostSet + " keys, ghost queue " + ghosts, false);
    }
    counter(w, State.GHOSTS, "ghosts", ghosts, fix);
    counter(w, State.SMALL_COUNT, "small-queue entries", smallCount, fix);
    counter(w, State.SMALL_VOLUME, "small-queue volume", smallVolume, fix);
    if (orderEntries != w.state(State.ORDER_ENTRIES)) {
      add(Kind.COUNTER_MISMATCH, "order entries", "stored " + w.state(State.ORDER_ENTRIES) + ", counted "
          + orderEntries, fix);
      if (fix) {
        w.count(State.ORDER_ENTRIES, orderEntries - w.state(State.ORDER_ENTRIES));
      }
    }
    for (byte[] k : staleOrder) {
      add(Kind.INDEX_MISMATCH, "order " + OrderIndex.order(k), "store-order index entry without a matching record", fix);
      if (fix) {
        s.order.delete(txn, k);
        w.count(State.ORDER_ENTRIES, -1);
      }
    }
    List<byte[]> staleRefs = new ArrayList<>();
    try (Cursor<byte[]> c = s.blobRefs.openCursor(txn)) {
      if (c.first()) {
        do {
          if (!s.isReferenced(txn, c.key())) {
            staleRefs.add(c.key());
          }
        } while (c.next());
      }
    }
    for (byte[] id : staleRefs) {
      add(Kind.INDEX_MISMATCH, java.util.HexFormat.of().formatHex(id), "value-file index entry without a matching record", fix);
      if (fix) {
        s.blobRefs.delete(txn, id);
      }
    }
    List<byte[]> staleExpiry = new ArrayList<>();
    List<byte[]> staleExpiryKeys = new ArrayList<>();
    try (Cursor<byte[]> c = s.expiry.openCursor(txn)) {
      if (c.first()) {
        do {
          byte[] k = c.key();
          byte[] stored = k.length > 8 ? WriteContext.expiryStored(k, c.val()) : null;
          Record r = stored != null ? recordOf(txn, stored) : null;
          if (r == null || r.expiresAt() != Bytes.getLong(k, 0)
              || !Arrays.equals(k, WriteContext.expiryKey(r.expiresAt(), stored))) {
            staleExpiry.add(k);
            staleExpiryKeys.add(stored == null ? k : stored);
          }
        } while (c.next());
      }
    }
    for (int i = 0; i < staleExpiry.size(); i++) {
      byte[] k = staleExpiry.get(i);
      add(Kind.INDEX_MISMATCH, Bytes.describe(staleExpiryKeys.get(i)),
          "expiry index entry without a matching record", fix);
      if (fix) {
        s.expiry.delete(txn, k);
      }
    }
    List<byte[][]> staleTags = new ArrayList<>();
    try (Cursor<byte[]> c = s.tags.openCursor(txn)) {
      if (c.first()) {
        do {
          Record r = recordOf(txn, c.val());
          boolean has = false;
          if (r != null) {
            for (byte[] t : r.tagBytes()) {
              has |= Arrays.equals(t, c.key());
            }
          }
          if (!has) {
            staleTags.add(new byte[][] {c.key(), c.val()});
          }
        } while (c.next());
      }
    }
    for (byte[][] kv : staleTags) {
      add(Kind.INDEX_MISMATCH, Bytes.describe(kv[1]), "tag index entry '"
          + new String(kv[0], java.nio.charset.StandardCharsets.UTF_8) + "' without a matching record", fix);
      if (fix) {
        s.tags.delete(txn, kv[0], kv[1]);
      }
    }
  }

  private void counter(WriteContext w, int index, String name, long counted, boolean fix) {
    if (w.state(index) != counted) {
      add(Kind.COUNTER_MISMATCH, name, "stored " + w.state(index) + ", counted " + counted, fix);
      if (fix) {
        w.count(index, counted - w.state(index));
      }
    }
  }

  private Record recordOf(Txn<byte[]> txn, byte[] stored) {
    byte[] raw = s.entries.get(txn, stored);
    if (raw == null) {
      return null;
    }
    try {
      return Record.parse(raw);
    } catch (CorruptionException e) {
      return null;
    }
  }

  /**
   * Compares the stored count and volume with the walk's. With {@code fix} the damaged entries are
   * gone by now and the walk's figures are the truth; without it they are still there, so they are
   * added back (a record that does not parse has no known weight, so the volume is then not
   * compared).
   */
  private void checkCounters(WriteContext w, long count, long volume, int unparsable,
      List<Record> badValues, List<byte[]> badValueKeys, boolean fix) {
    if (!fix) {
      count += unparsable + badValues.size();
      for (int i = 0; i < badValues.size(); i++) {
        volume += badValues.get(i).weight(badValueKeys.get(i).length);
      }
    }
    long storedCount = w.state(State.COUNT);
    if (storedCount != count) {
      add(Kind.COUNTER_MISMATCH, "count", "stored " + storedCount + ", counted " + count, fix);
      if (fix) {
        w.count(State.COUNT, count - storedCount);
      }
    }
    long storedVolume = w.state(State.VOLUME);
    if (storedVolume != volume && (fix || unparsable == 0)) {
      add(Kind.COUNTER_MISMATCH, "volume", "stored " + storedVolume + ", counted " + volume, fix);
      if (fix) {
        w.count(State.VOLUME, volume - storedVolume);
      }
    }
  }

  private void checkFiles(Set<ByteBuffer> referenced, boolean fix) throws IOException {
    Blobs blobs = s.blobs();
    for (Path f : blobs.listFiles()) {
      byte[] id = Blobs.idOf(f);
      if (id != null && s.isUnlinking(id) && f.equals(blobs.path(id))) {
        continue; // dropped by a commit of this process, unlinked right after it
      }
      if (id == null || !referenced.contains(ByteBuffer.wrap(id)) || !f.equals(blobs.path(id))) {
        add(Kind.ORPHAN_FILE, f.toString(), "no entry refers to this file", fix);
        if (fix) {
          Files.deleteIfExists(f);
        }
      }
    }
    for (Path f : blobs.staleTempFiles()) {
      add(Kind.STALE_TEMP_FILE, f.toString(), "left by a process that died while writing a value", fix);
      if (fix) {
        Files.deleteIfExists(f);
      }
    }
  }

  private List<BlobRef> verifyFiles(List<BlobRef> refs, boolean fix) {
    List<BlobRef> bad = new ArrayList<>();
    for (BlobRef b : refs) {
      Path p = s.blobs().path(b.id());
      String problem = verify(p, b);
      if (problem != null) {
        bad.add(b);
        boolean missing = problem.startsWith("missing") || problem.startsWith("is ");
        add(missing ? Kind.MISSING_FILE : Kind.CHECKSUM_MISMATCH, Bytes.describe(b.stored()),
            "value file " + p + " " + problem, fix);
      }
    }
    return bad;
  }

  private static String verify(Path p, BlobRef b) {
    try (FileChannel ch = FileChannel.open(p)) {
      if (ch.size() != b.size()) {
        return "is " + ch.size() + " bytes, its record says " + b.size();
      }
      CRC32C crc = new CRC32C();
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      long pos = 0;
      while (pos < b.size()) {
        buf.clear();
        int n = ch.read(buf, pos);
        if (n < 0) {
          return "is shorter than " + b.size() + " bytes";
        }
        buf.flip();
        crc.update(buf);
        pos += n;
      }
      return (int) crc.getValue() == b.crc() ? null : "fails its CRC32C checksum";
    } catch (NoSuchFileException e) {
      return "missing";
    } catch (IOException e) {
      return "cannot be read: " + e;
    }
  }
}
