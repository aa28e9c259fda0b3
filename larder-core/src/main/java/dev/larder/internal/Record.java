package dev.larder.internal;

import dev.larder.CorruptionException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An entry's record in the {@code entries} database: a fixed header, the full key when it is too
 * long to be the LMDB key, the tags, and the value inline or the id of its file. The layout is
 * specified in {@code docs/spec/format.md}; this class is the only code that reads or writes it.
 */
public final class Record {
  public static final int FORMAT = 1;
  public static final int HEADER = 64;

  public static final int F_BLOB = 0x01;
  public static final int F_FULL_KEY = 0x02;
  public static final int F_TAGS = 0x04;
  private static final int F_KNOWN = F_BLOB | F_FULL_KEY | F_TAGS;

  public static final int BLOB_ID_LENGTH = 16;

  private static final int O_FORMAT = 0;
  private static final int O_FLAGS = 1;
  private static final int O_VALUE_TAG = 2;
  private static final int O_QUEUE = 3;
  private static final int O_CLIENT_FLAGS = 4;
  private static final int O_VERSION = 8;
  private static final int O_ORDER = 16;
  private static final int O_STORED_AT = 24;
  private static final int O_EXPIRES_AT = 32;
  private static final int O_VALUE_SIZE = 40;
  private static final int O_CRC = 48;
  private static final int O_LOAD_MILLIS = 52;
  private static final int O_ACCESS = 56;

  private final byte[] bytes;
  private final int flags;
  private final int fullKeyOffset;
  private final int fullKeyLength;
  private final int tagsOffset;
  private final int tagCount;
  private final int valueOffset;

  private Record(byte[] bytes, int flags, int fullKeyOffset, int fullKeyLength, int tagsOffset,
      int tagCount, int valueOffset) {
    this.bytes = bytes;
    this.flags = flags;
    this.fullKeyOffset = fullKeyOffset;
    this.fullKeyLength = fullKeyLength;
    this.tagsOffset = tagsOffset;
    this.tagCount = tagCount;
    this.valueOffset = valueOffset;
  }

  /**
   * Parses a record, checking its structure (not the value's checksum).
   *
   * @throws CorruptionException if the bytes are not a well-formed record
   */
  public static Record parse(byte[] b) {
    if (b.length < HEADER) {
      throw corrupt("record of " + b.length + " bytes is shorter than its " + HEADER + "-byte header", 0);
    }
    if (b[O_FORMAT] != FORMAT) {
      throw corrupt("record format " + (b[O_FORMAT] & 0xFF) + " is not " + FORMAT, O_FORMAT);
    }
    int flags = b[O_FLAGS] & 0xFF;
    if ((flags & ~F_KNOWN) != 0) {
      throw corrupt("unknown record flags 0x" + Integer.toHexString(flags), O_FLAGS);
    }
    int p = HEADER;
    int fullKeyOffset = -1;
    int fullKeyLength = 0;
    if ((flags & F_FULL_KEY) != 0) {
      need(b, p, 4);
      fullKeyLength = Bytes.getInt(b, p);
      p += 4;
      if (fullKeyLength <= Keys.MAX_STORED_KEY || fullKeyLength > Keys.MAX_KEY) {
        throw corrupt("full key length " + fullKeyLength + " out of range", p - 4);
      }
      need(b, p, fullKeyLength);
      fullKeyOffset = p;
      p += fullKeyLength;
    }
    int tagsOffset = p;
    int tagCount = 0;
    if ((flags & F_TAGS) != 0) {
      need(b, p, 2);
      tagCount = Bytes.getUnsignedShort(b, p);
      p += 2;
      for (int i = 0; i < tagCount; i++) {
        need(b, p, 2);
        int len = Bytes.getUnsignedShort(b, p);
        p += 2;
        need(b, p, len);
        p += len;
      }
    }
    long valueSize = Bytes.getLong(b, O_VALUE_SIZE);
    if ((flags & F_BLOB) != 0) {
      if (b.length - p != BLOB_ID_LENGTH || valueSize < 0) {
        throw corrupt("blob record has " + (b.length - p) + " bytes of id and size " + valueSize, p);
      }
    } else if (b.length - p != valueSize) {
      throw corrupt("inline value is " + (b.length - p) + " bytes, header says " + valueSize, O_VALUE_SIZE);
    }
    return new Record(b, flags, fullKeyOffset, fullKeyLength, tagsOffset, tagCount, p);
  }

  private static void need(byte[] b, int p, int n) {
    if (n < 0 || p + n > b.length) {
      throw corrupt("record truncated: needs " + n + " bytes at offset " + p + " of " + b.length, p);
    }
  }

  private static CorruptionException corrupt(String message, long offset) {
    return new CorruptionException(null, offset, message);
  }

  /** The fields of a record to write. */
  public static final class Builder {
    int valueTag;
    int clientFlags;
    long version;
    long order;
    long storedAt;
    long expiresAt;
    int loadMillis;
    int queue;
    long access;
    byte[] fullKey;
    List<byte[]> tags = List.of();
    byte[] inline;
    byte[] blobId;
    long blobSize;
    int blobCrc;

    public Builder valueTag(int tag) {
      this.valueTag = tag;
      return this;
    }

    public Builder clientFlags(int flags) {
      this.clientFlags = flags;
      return this;
    }

    public Builder version(long v) {
      this.version = v;
      return this;
    }

    public Builder order(long o) {
      this.order = o;
      return this;
    }

    public Builder storedAt(long t) {
      this.storedAt = t;
      return this;
    }

    public Builder expiresAt(long t) {
      this.expiresAt = t;
      return this;
    }

    /** The eviction queue the entry's order-index entry is in. */
    public Builder queue(int q) {
      this.queue = q;
      return this;
    }

    /** The eviction policy's use information: last use (LRU), use count (LFU) or frequency (S3-FIFO). */
    public Builder access(long a) {
      this.access = a;
      return this;
    }

    public Builder loadMillis(int m) {
      this.loadMillis = m;
      return this;
    }

    /** The full encoded key, when it is longer than an LMDB key; null otherwise. */
    public Builder fullKey(byte[] k) {
      this.fullKey = k;
      return this;
    }

    public Builder tags(List<byte[]> utf8Tags) {
      this.tags = utf8Tags;
      return this;
    }

    public Builder inline(byte[] value) {
      this.inline = value;
      this.blobId = null;
      return this;
    }

    public Builder blob(byte[] id, long size, int crc) {
      this.blobId = id;
      this.blobSize = size;
      this.blobCrc = crc;
      this.inline = null;
      return this;
    }

    public byte[] build() {
      int flags = 0;
      int len = HEADER;
      if (fullKey != null) {
        flags |= F_FULL_KEY;
        len += 4 + fullKey.length;
      }
      if (!tags.isEmpty()) {
        flags |= F_TAGS;
        len += 2;
        for (byte[] t : tags) {
          len += 2 + t.length;
        }
      }
      long size;
      int crc;
      if (blobId != null) {
        flags |= F_BLOB;
        len += BLOB_ID_LENGTH;
        size = blobSize;
        crc = blobCrc;
      } else {
        len += inline.length;
        size = inline.length;
        crc = crc32c(inline, 0, inline.length);
      }
      byte[] b = new byte[len];
      b[O_FORMAT] = FORMAT;
      b[O_FLAGS] = (byte) flags;
      b[O_VALUE_TAG] = (byte) valueTag;
      b[O_QUEUE] = (byte) queue;
      Bytes.putLong(b, O_ACCESS, access);
      Bytes.putInt(b, O_CLIENT_FLAGS, clientFlags);
      Bytes.putLong(b, O_VERSION, version);
      Bytes.putLong(b, O_ORDER, order);
      Bytes.putLong(b, O_STORED_AT, storedAt);
      Bytes.putLong(b, O_EXPIRES_AT, expiresAt);
      Bytes.putLong(b, O_VALUE_SIZE, size);
      Bytes.putInt(b, O_CRC, crc);
      Bytes.putInt(b, O_LOAD_MILLIS, loadMillis);
      int p = HEADER;
      if (fullKey != null) {
        Bytes.putInt(b, p, fullKey.length);
        p += 4;
        System.arraycopy(fullKey, 0, b, p, fullKey.length);
        p += fullKey.length;
      }
      if (!tags.isEmpty()) {
        Bytes.putShort(b, p, tags.size());
        p += 2;
        for (byte[] t : tags) {
          Bytes.putShort(b, p, t.length);
          p += 2;
          System.arraycopy(t, 0, b, p, t.length);
          p += t.length;
        }
      }
      if (blobId != null) {
        System.arraycopy(blobId, 0, b, p, BLOB_ID_LENGTH);
      } else {
        System.arraycopy(inline, 0, b, p, inline.length);
      }
      return b;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's fields, to write a modified copy. */
  public Builder toBuilder() {
    Builder r = new Builder()
        .valueTag(valueTag())
        .clientFlags(clientFlags())
        .version(version())
        .order(order())
        .storedAt(storedAt())
        .expiresAt(expiresAt())
        .loadMillis(loadMillis())
        .queue(queue())
        .access(access())
        .fullKey(fullKey())
        .tags(tagBytes());
    if (isBlob()) {
      r.blob(blobId(), valueSize(), crc());
    } else {
      r.inline(inlineValue());
    }
    return r;
  }

  /** A copy of {@code record} with another expiry time; the rest is unchanged. */
  public static byte[] withExpiresAt(byte[] record, long expiresAt) {
    byte[] copy = record.clone();
    Bytes.putLong(copy, O_EXPIRES_AT, expiresAt);
    return copy;
  }

  /** A copy of {@code record} in another place of the order index; the rest is unchanged. */
  public static byte[] withPlace(byte[] record, int queue, long order, long access) {
    byte[] copy = record.clone();
    copy[O_QUEUE] = (byte) queue;
    Bytes.putLong(copy, O_ORDER, order);
    Bytes.putLong(copy, O_ACCESS, access);
    return copy;
  }

  /** A copy of {@code record} with other use information; the rest is unchanged. */
  public static byte[] withAccess(byte[] record, long access) {
    byte[] copy = record.clone();
    Bytes.putLong(copy, O_ACCESS, access);
    return copy;
  }

  public static int crc32c(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return (int) crc.getValue();
  }

  public byte[] bytes() {
    return bytes;
  }

  public boolean isBlob() {
    return (flags & F_BLOB) != 0;
  }

  public int valueTag() {
    return bytes[O_VALUE_TAG] & 0xFF;
  }

  public int clientFlags() {
    return Bytes.getInt(bytes, O_CLIENT_FLAGS);
  }

  public long version() {
    return Bytes.getLong(bytes, O_VERSION);
  }

  public int queue() {
    return bytes[O_QUEUE] & 0xFF;
  }

  public long access() {
    return Bytes.getLong(bytes, O_ACCESS);
  }

  public long order() {
    return Bytes.getLong(bytes, O_ORDER);
  }

  public long storedAt() {
    return Bytes.getLong(bytes, O_STORED_AT);
  }

  public long expiresAt() {
    return Bytes.getLong(bytes, O_EXPIRES_AT);
  }

  /** Whether the entry is expired at {@code now} (an expiry time of 0 means never). */
  public boolean isExpired(long now) {
    long e = expiresAt();
    return e != 0 && e <= now;
  }

  public long valueSize() {
    return Bytes.getLong(bytes, O_VALUE_SIZE);
  }

  public int crc() {
    return Bytes.getInt(bytes, O_CRC);
  }

  public int loadMillis() {
    return Bytes.getInt(bytes, O_LOAD_MILLIS);
  }

  public boolean hasFullKey() {
    return fullKeyOffset >= 0;
  }

  /** The full key stored in the record, or null when the LMDB key is the full key. */
  public byte[] fullKey() {
    return hasFullKey() ? Arrays.copyOfRange(bytes, fullKeyOffset, fullKeyOffset + fullKeyLength) : null;
  }

  /** Whether the record's full key equals {@code key}. */
  public boolean fullKeyEquals(byte[] key) {
    return hasFullKey()
        && Arrays.equals(bytes, fullKeyOffset, fullKeyOffset + fullKeyLength, key, 0, key.length);
  }

  public List<byte[]> tagBytes() {
    if (tagCount == 0) {
      return List.of();
    }
    List<byte[]> tags = new ArrayList<>(tagCount);
    int p = tagsOffset + 2;
    for (int i = 0; i < tagCount; i++) {
      int len = Bytes.getUnsignedShort(bytes, p);
      p += 2;
      tags.add(Arrays.copyOfRange(bytes, p, p + len));
      p += len;
    }
    return tags;
  }

  public List<String> tags() {
    List<String> out = new ArrayList<>(tagCount);
    for (byte[] t : tagBytes()) {
      out.add(new String(t, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Offset of the inline value in {@link #bytes()}. */
  public int valueOffset() {
    return valueOffset;
  }

  public byte[] inlineValue() {
    return Arrays.copyOfRange(bytes, valueOffset, bytes.length);
  }

  /** Whether the inline value matches its checksum. */
  public boolean inlineChecksumOk() {
    return crc32c(bytes, valueOffset, bytes.length - valueOffset) == crc();
  }

  public byte[] blobId() {
    return Arrays.copyOfRange(bytes, valueOffset, valueOffset + BLOB_ID_LENGTH);
  }

  /**
   * The bytes this entry counts toward the volume: its LMDB key and record, plus its value file.
   */
  public long weight(int storedKeyLength) {
    return storedKeyLength + bytes.length + (isBlob() ? valueSize() : 0);
  }
}
