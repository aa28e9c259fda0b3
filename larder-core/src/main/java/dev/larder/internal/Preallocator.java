package dev.larder.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import jnr.ffi.LibraryLoader;

/**
 * Reserves disk blocks for the data file ahead of LMDB's high-water mark.
 *
 * <p>With {@code MDB_WRITEMAP} LMDB writes pages through the memory map of a sparse file. Touching
 * a page whose block the file system cannot allocate (a full disk) raises SIGBUS and kills the JVM
 * instead of returning an error. So before a write transaction uses pages past the high-water mark,
 * the blocks for them are reserved here with {@code posix_fallocate} (or, where that is missing, by
 * writing zeros); a full disk then fails the reservation with an {@link IOException}, before LMDB
 * has touched anything, and the write fails cleanly.
 *
 * <p>This only works where a reserved block stays reserved on overwrite. Copy-on-write file
 * systems (btrfs, ZFS, APFS) need new blocks for every write, so {@link #writeMapSafe} says no for
 * them and the store runs without {@code MDB_WRITEMAP} there, writing pages with {@code pwrite},
 * which reports a full disk as an error.
 */
final class Preallocator {
  private static final System.Logger LOG = System.getLogger(Preallocator.class.getName());
  private static final Set<String> SAFE_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "tmpfs", "overlay");

  /** The C library calls used, bound through jnr-ffi (which lmdbjava already brings). */
  public interface LibC {
    int open(String path, int flags);

    int close(int fd);

    int posix_fallocate(int fd, long offset, long length);
  }

  private static final int O_WRONLY = 1;
  private static final LibC LIBC = load();

  private Preallocator() {}

  private static LibC load() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return null;
    }
    try {
      return LibraryLoader.create(LibC.class).load("c");
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.DEBUG, "posix_fallocate unavailable; reserving blocks by writing zeros", e);
      return null;
    }
  }

  /** Whether {@code MDB_WRITEMAP} can be used safely on the file system of {@code dir}. */
  static boolean writeMapSafe(Path dir) {
    if (Boolean.getBoolean("larder.noWriteMap")) {
      return false;
    }
    try {
      String type = java.nio.file.Files.getFileStore(dir).type().toLowerCase(Locale.ROOT);
      return SAFE_FILE_SYSTEMS.contains(type);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reserves the blocks of {@code [from, to)} in {@code file}.
   *
   * @throws IOException if the disk has no room (the file may then hold part of the range)
   */
  static void reserve(Path file, long from, long to) throws IOException {
    if (to <= from) {
      return;
    }
    if (LIBC != null) {
      int fd = LIBC.open(file.toString(), O_WRONLY);
      if (fd >= 0) {
        try {
          int rc = LIBC.posix_fallocate(fd, from, to - from);
          if (rc == 0) {
            return;
          }
          if (rc == 28) { // ENOSPC
            throw new IOException("no space left on device to grow " + file + " to " + to + " bytes");
          }
          LOG.log(Level.DEBUG, "posix_fallocate on {0} returned {1}; writing zeros instead", file, rc);
        } finally {
          LIBC.close(fd);
        }
      }
    }
    zeroFill(file, from, to);
  }

  private static void zeroFill(Path file, long from, long to) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (long pos = from; pos < to; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), to - pos));
        pos += ch.write(zeros, pos);
      }
    }
  }
}
