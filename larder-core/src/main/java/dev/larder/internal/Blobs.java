package dev.larder.internal;

import dev.larder.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Files for large values: {@code blobs/ab/cd/<32 hex digits>}, the raw value bytes, with the
 * length and CRC32C kept in the entry's record.
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li>{@link #stage}: write the value to {@code tmp/<pid>-<id>.tmp} and compute its checksum,
 *       outside any transaction (flushed to disk first under {@code Durability.SYNC}).
 *   <li>{@link #install}: inside the write transaction that stores the record, rename the file
 *       into {@code blobs/}. A rename is one metadata operation, not blob I/O.
 *   <li>After the commit, files of replaced or deleted values are unlinked.
 * </ol>
 *
 * Because a file enters {@code blobs/} only inside the transaction that refers to it, a file there
 * that no record refers to, seen while holding the write lock, is garbage (a crash between rename
 * and commit, or between commit and unlink), and {@code check(true)} may delete it without racing
 * any writer. (Renaming before the transaction would need a grace period instead, and a writer
 * stalled longer than the grace period would lose its value.) Temporary files are deleted when the
 * process that wrote them is dead.
 */
public final class Blobs {
  private static final System.Logger LOG = System.getLogger(Blobs.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final long PID = ProcessHandle.current().pid();

  private final Path root;
  private final Path tmp;
  private final boolean sync;

  Blobs(Path dir, boolean sync) {
    this.root = dir.resolve("blobs");
    this.tmp = dir.resolve("tmp");
    this.sync = sync;
  }

  public Path root() {
    return root;
  }

  public Path tmpDirectory() {
    return tmp;
  }

  /** A value written to a temporary file, not yet part of the cache. */
  public static final class Staged {
    final Path temp;
    final byte[] id;
    final long size;
    final int crc;
    boolean installed;

    Staged(Path temp, byte[] id, long size, int crc) {
      this.temp = temp;
      this.id = id;
      this.size = size;
      this.crc = crc;
    }

    public byte[] id() {
      return id;
    }

    public long size() {
      return size;
    }

    public int crc() {
      return crc;
    }
  }

  /** Writes {@code value} to a temporary file. */
  public Staged stage(byte[] value) {
    return stage(null, value, value.length, Long.MAX_VALUE);
  }

  /**
   * Writes {@code head} (the first {@code headLength} bytes already read) and then the rest of
   * {@code in} to a temporary file.
   *
   * @throws IllegalArgumentException if the value is longer than {@code maxBytes}
   */
  public Staged stage(InputStream in, byte[] head, int headLength, long maxBytes) {
    byte[] id = newId();
    Path temp = tmp.resolve(PID + "-" + HEX.formatHex(id) + ".tmp");
    CRC32C crc = new CRC32C();
    long size = 0;
    boolean ok = false;
    try {
      Files.createDirectories(tmp);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        if (headLength > 0) {
          crc.update(head, 0, headLength);
          writeFully(ch, ByteBuffer.wrap(head, 0, headLength));
          size = headLength;
        }
        if (in != null) {
          byte[] buf = new byte[64 * 1024];
          for (int n; (n = in.read(buf)) != -1; ) {
            size += n;
            if (size > maxBytes) {
              throw new IllegalArgumentException(
                  "value is larger than the size limit of " + maxBytes + " bytes");
            }
            crc.update(buf, 0, n);
            writeFully(ch, ByteBuffer.wrap(buf, 0, n));
          }
        }
        if (sync) {
          ch.force(true);
        }
      }
      ok = true;
      return new Staged(temp, id, size, (int) crc.getValue());
    } catch (IOException e) {
      throw new StorageException("cannot write a value file in " + tmp + ": " + e, e, false);
    } finally {
      if (!ok) {
        deleteQuietly(temp);
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** Moves a staged file into {@code blobs/}; call inside the write transaction that refers to it. */
  public void install(Staged s) throws IOException {
    Path target = path(s.id);
    Path parent = target.getParent();
    if (!Files.isDirectory(parent)) {
      Files.createDirectories(parent);
      if (sync) {
        fsyncDirectory(parent.getParent());
        fsyncDirectory(parent.getParent().getParent());
      }
    }
    Files.move(s.temp, target, StandardCopyOption.ATOMIC_MOVE);
    s.installed = true;
    if (sync) {
      fsyncDirectory(parent);
    }
  }

  /**
   * Undoes {@link #install} after a transaction that did not commit, moving the file back to its
   * temporary name so that a retry can install it again.
   */
  public void uninstall(Staged s) {
    if (!s.installed) {
      return;
    }
    try {
      Files.move(path(s.id), s.temp, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(path(s.id));
    }
    s.installed = false;
  }

  /** Deletes a staged file that never became part of the cache; a no-op once it is installed. */
  public void release(Staged s) {
    if (!s.installed) {
      deleteQuietly(s.temp);
    }
  }

  /** Deletes a value file after the commit that dropped it; a failure leaves an orphan for check. */
  public void delete(byte[] id) {
    try {
      Files.deleteIfExists(path(id));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete value file " + path(id) + "; check(true) will remove it", e);
    }
  }

  public FileChannel open(byte[] id) throws IOException {
    return FileChannel.open(path(id), StandardOpenOption.READ);
  }

  public Path path(byte[] id) {
    String hex = HEX.formatHex(id);
    return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
  }

  /** Parses the id from a value file's name, or returns null if it is not one. */
  public static byte[] idOf(Path file) {
    String name = file.getFileName().toString();
    if (name.length() != Record.BLOB_ID_LENGTH * 2) {
      return null;
    }
    try {
      return HEX.parseHex(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Every file under {@code blobs/}, value file or not. */
  public List<Path> listFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (var walk = Files.walk(root, 3)) {
      walk.filter(Files::isRegularFile).forEach(out::add);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }

  /** Temporary files whose writing process is gone. */
  public List<Path> staleTempFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(tmp)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        int dash = name.indexOf('-');
        long pid = -1;
        if (dash > 0) {
          try {
            pid = Long.parseLong(name.substring(0, dash));
          } catch (NumberFormatException e) {
            pid = -1;
          }
        }
        boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
          out.add(f);
        }
      }
    }
    return out;
  }

  private static byte[] newId() {
    byte[] id = new byte[Record.BLOB_ID_LENGTH];
    RANDOM.nextBytes(id);
    return id;
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (FileAlreadyExistsException | NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      // Some file systems refuse to open or flush directories; the rename is still atomic.
      LOG.log(Level.DEBUG, "cannot fsync directory " + dir, e);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete " + p, e);
    }
  }
}
