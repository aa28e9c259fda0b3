package dev.larder.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The standard streams a run of the command line reads and writes, as bytes. {@link #system()}
 * gives the process's own; tests pass in-memory streams to {@link Main#run(Io, String...)}.
 *
 * <p>Values go through {@link #in()} and {@link #out()} untouched, so binary values survive; text
 * (keys, counters, stats, messages) is written as UTF-8. The streams are not closed by the command
 * line. Not thread-safe: one run at a time.
 *
 * @param in where {@code put} reads a value given on standard input
 * @param out where {@code get} writes value bytes and other commands write their text
 * @param err where messages and usage help go
 */
public record Io(InputStream in, OutputStream out, OutputStream err) {

  /** Checks that no stream is null. */
  public Io {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
  }

  /**
   * The process's standard streams. Standard output is written through its file descriptor rather
   * than {@link System#out}, because {@code PrintStream} swallows write errors and a full disk
   * would then go unnoticed.
   */
  public static Io system() {
    OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
    return new Io(System.in, out, System.err);
  }
}
