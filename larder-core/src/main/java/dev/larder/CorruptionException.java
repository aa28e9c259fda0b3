package dev.larder;

import java.nio.file.Path;

/**
 * Stored bytes are not what was written: a checksum mismatch, a record that does not parse, a
 * truncated data file, or a file that is not a Larder cache at all.
 *
 * <p>Larder never returns corrupted bytes as a value: a read that meets corruption throws this
 * exception, and {@link Cache#check(boolean)} lists the damage and, with {@code fix}, removes the
 * damaged entries.
 */
public class CorruptionException extends LarderException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  /**
   * Creates an exception for damage in {@code file}.
   *
   * @param file the damaged file, or {@code null} when the damage is inside a record of the data file
   * @param offset the byte offset of the damage in the file or record, or -1 when unknown
   * @param message what is wrong, naming the file or key
   */
  public CorruptionException(Path file, long offset, String message) {
    super(message);
    this.file = file;
    this.offset = offset;
  }

  /** Creates an exception for damage in {@code file} found through {@code cause}. */
  public CorruptionException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.offset = -1;
  }

  /** The damaged file, or {@code null} when it is not known. */
  public Path file() {
    return file;
  }

  /** The byte offset of the damage, or -1 when it is not known. */
  public long offset() {
    return offset;
  }
}
