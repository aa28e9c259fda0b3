package dev.larder;

import dev.larder.internal.Record;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.CRC32C;

/** A value kept in a file of its own, read through a channel opened while its record was current. */
final class FileStoredValue implements StoredValue {
  private final Record record;
  private final FileChannel channel;
  private final Path path;
  private boolean closed;

  FileStoredValue(Record record, FileChannel channel, Path path) {
    this.record = record;
    this.channel = channel;
    this.path = path;
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
    return true;
  }

  @Override
  public FileChannel channel() {
    checkOpen();
    return channel;
  }

  @Override
  public InputStream inputStream() {
    checkOpen();
    return new VerifyingStream();
  }

  @Override
  public byte[] readAllBytes() {
    checkOpen();
    long size = size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("a value of " + size + " bytes does not fit in an array; use inputStream()");
    }
    byte[] out = new byte[(int) size];
    ByteBuffer buf = ByteBuffer.wrap(out);
    try {
      long pos = 0;
      while (buf.hasRemaining()) {
        int n = channel.read(buf, pos);
        if (n < 0) {
          throw damaged("is " + pos + " bytes long, its record says " + size, pos);
        }
        pos += n;
      }
      if (channel.size() != size) {
        throw damaged("is " + channel.size() + " bytes long, its record says " + size, size);
      }
    } catch (IOException e) {
      throw new StorageException("cannot read value file " + path + ": " + e, e, false);
    }
    if (Record.crc32c(out, 0, out.length) != record.crc()) {
      throw damaged("fails its CRC32C checksum", -1);
    }
    return out;
  }

  private CorruptionException damaged(String what, long offset) {
    return new CorruptionException(path, offset, "value file " + path + " " + what + "; check(true) removes the entry");
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("stored value is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        channel.close();
      } catch (IOException ignored) {
        // a read-only channel
      }
    }
  }

  /** Streams the file and verifies length and checksum when it reaches the end. */
  private final class VerifyingStream extends InputStream {
    private final CRC32C crc = new CRC32C();
    private long position;
    private boolean verified;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, len), position);
      if (n < 0 || position + Math.max(n, 0) > size()) {
        if (n > 0) {
          throw damaged("is longer than its record's " + size() + " bytes", size());
        }
        verifyAtEnd();
        return -1;
      }
      crc.update(b, off, n);
      position += n;
      if (position == size()) {
        verifyAtEnd();
      }
      return n;
    }

    private void verifyAtEnd() throws IOException {
      if (verified) {
        return;
      }
      if (position != size() || channel.size() != size()) {
        throw damaged("is " + channel.size() + " bytes long, its record says " + size(), position);
      }
      if ((int) crc.getValue() != record.crc()) {
        throw damaged("fails its CRC32C checksum", -1);
      }
      verified = true;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(Integer.MAX_VALUE, size() - position);
    }

    @Override
    public void close() {
      FileStoredValue.this.close();
    }
  }
}
