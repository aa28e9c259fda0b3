package dev.larder;

import dev.larder.internal.Record;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.time.Instant;

/** A value kept inside its record, already in memory and verified. */
final class InlineStoredValue implements StoredValue {
  private final Record record;

  InlineStoredValue(Record record) {
    this.record = record;
  }

  @Override
  public long size() {
    return record.valueSize();
  }

  @Override
  public long version() {
    return record.version();
  }

  @Override
  public Instant storedAt() {
    return Instant.ofEpochMilli(record.storedAt());
  }

  @Override
  public Instant expiresAt() {
    return record.expiresAt() == 0 ? null : Instant.ofEpochMilli(record.expiresAt());
  }

  @Override
  public int flags() {
    return record.clientFlags();
  }

  @Override
  public boolean isFile() {
    return false;
  }

  @Override
  public FileChannel channel() {
    throw new IllegalStateException("a value of " + size() + " bytes is kept inline, not in a file; use inputStream()");
  }

  @Override
  public InputStream inputStream() {
    return new ByteArrayInputStream(record.bytes(), record.valueOffset(), (int) record.valueSize());
  }

  @Override
  public byte[] readAllBytes() {
    return record.inlineValue();
  }

  @Override
  public void close() {}
}
