package dev.larder;

import java.io.Closeable;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.time.Instant;

/**
 * A value opened for reading by {@link Cache#open}, with the metadata it was stored with. Holds an
 * open file for a large value, so close it. The bytes stay readable until closed, even if the entry
 * is replaced or deleted meanwhile. Not thread-safe.
 */
public interface StoredValue extends Closeable {

  /** The value's length in bytes. */
  long size();

  /** The entry's version (see {@link Entry#version()}). */
  long version();

  /** When the value was written. */
  Instant storedAt();

  /** When the entry expires, or {@code null} if it does not. */
  Instant expiresAt();

  /** The flags stored with the value. */
  int flags();

  /**
   * Whether the value is kept in a file of its own, so that {@link #channel()} can serve it without
   * copying it through the heap.
   */
  boolean isFile();

  /**
   * The value's file, positioned at its start, for zero-copy transfer ({@link
   * FileChannel#transferTo}) of {@link #size()} bytes. Reading through the channel does not verify
   * the checksum; {@link #inputStream()} and {@link #readAllBytes()} do.
   *
   * @throws IllegalStateException if the value is not a file ({@link #isFile()} is false)
   */
  FileChannel channel();

  /**
   * A stream of the value's bytes. The checksum is verified as the stream reaches its end: a
   * damaged value throws {@link CorruptionException} from {@code read} instead of reporting the
   * end, so a consumer that reads to the end never takes damaged bytes for a whole value.
   */
  InputStream inputStream();

  /**
   * Reads the whole value into memory and verifies it.
   *
   * @throws CorruptionException if the bytes fail their checksum
   * @throws IllegalStateException if the value is larger than a Java array can hold
   */
  byte[] readAllBytes();

  /** Releases the file, if any. Idempotent. */
  @Override
  void close();
}
