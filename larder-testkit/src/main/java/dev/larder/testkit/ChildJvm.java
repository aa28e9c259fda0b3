package dev.larder.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real child JVM running a {@code main} class from the current classpath, for multi-process and
 * crash tests.
 *
 * <p>The child is started as {@code java <jvmArgs> MainClass <args>} with the classpath passed
 * through the {@code CLASSPATH} environment variable, so that with no {@code jvmArgs} it runs
 * with no JVM options at all. {@link #kill()} sends SIGKILL ({@code kill -9}).
 *
 * <p>Decision: the child's standard output and error go to files, which this class reads, rather
 * than to pipes. When a child dies, the JDK drains and closes its pipes from its reaper thread,
 * and lines written just before a {@code kill -9} were lost that way (seen: a child's last ten
 * lines missing), which a crash test that trusts "every acknowledged write was printed" cannot
 * afford. A file keeps every byte the child wrote.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final String description;
  private final List<String> lines = new ArrayList<>();
  private long readOffset;
  private final StringBuilder partial = new StringBuilder();

  private ChildJvm(Process process, Path stdout, Path stderr, String description) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.description = description;
  }

  /** Starts {@code main} with {@code args} and no JVM options. */
  public static ChildJvm start(Class<?> main, String... args) {
    return start(List.of(), main, args);
  }

  /** Starts {@code main} with {@code args} and the given JVM options. */
  public static ChildJvm start(List<String> jvmArgs, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add(main.getName());
    command.addAll(Arrays.asList(args));
    try {
      Path out = Files.createTempFile("child-" + main.getSimpleName(), ".out");
      Path err = Files.createTempFile("child-" + main.getSimpleName(), ".err");
      out.toFile().deleteOnExit();
      err.toFile().deleteOnExit();
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      pb.environment().remove("JDK_JAVA_OPTIONS");
      return new ChildJvm(pb.start(), out, err, main.getSimpleName() + " " + String.join(" ", args));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Reads what the child wrote since the last call; complete lines only. */
  private synchronized void poll() {
    try (RandomAccessFile f = new RandomAccessFile(stdout.toFile(), "r")) {
      long length = f.length();
      if (length <= readOffset) {
        return;
      }
      byte[] b = new byte[(int) (length - readOffset)];
      f.seek(readOffset);
      f.readFully(b);
      readOffset = length;
      partial.append(new String(b, StandardCharsets.UTF_8));
      int nl;
      while ((nl = partial.indexOf("\n")) >= 0) {
        lines.add(partial.substring(0, nl));
        partial.delete(0, nl + 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The complete lines the child has written to standard output so far. */
  public synchronized List<String> lines() {
    poll();
    return List.copyOf(lines);
  }

  /** Waits until a line matching {@code p} appears; fails if the child exits or time runs out first. */
  public String awaitLine(Predicate<String> p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (true) {
      boolean alive = process.isAlive();
      List<String> now = lines();
      for (; seen < now.size(); seen++) {
        if (p.test(now.get(seen))) {
          return now.get(seen);
        }
      }
      if (!alive || System.nanoTime() > deadline) {
        throw new AssertionError("no expected line from " + description + " within " + timeout
            + " (alive: " + alive + ")\nstdout tail: " + now.subList(Math.max(0, now.size() - 20), now.size())
            + "\nstderr: " + stderr());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** What the child wrote to standard error (the first 64 KiB). */
  public String stderr() {
    try {
      byte[] b = Files.readAllBytes(stderr);
      return new String(b, 0, Math.min(b.length, 64 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /**
   * Waits for the child to exit and returns its exit code.
   *
   * @throws AssertionError if it does not exit in time (it is then killed)
   */
  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(description + " did not exit within " + timeout + "\nstderr: " + stderr());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Sends SIGKILL, as {@code kill -9} does, and waits for the child to be gone. */
  public void kill() {
    // On Unix, destroyForcibly() is kill(pid, SIGKILL).
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
    try {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    } catch (IOException e) {
      // temp files; deleteOnExit remains
    }
  }

  @Override
  public String toString() {
    return "ChildJvm[" + description + ", pid " + pid() + "]";
  }
}
