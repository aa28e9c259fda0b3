package dev.larder.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * with no JVM options at all. Its standard output is collected line by line; its standard error
 * is kept for failure messages. {@link #kill()} sends SIGKILL ({@code kill -9}).
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final StringBuilder stderr = new StringBuilder();
  private final Thread outReader;
  private final Thread errReader;
  private final String description;

  private ChildJvm(Process process, String description) {
    this.process = process;
    this.description = description;
    this.outReader = pump(process.getInputStream(), line -> {
      synchronized (lines) {
        lines.add(line);
        lines.notifyAll();
      }
    });
    this.errReader = pump(process.getErrorStream(), line -> {
      synchronized (stderr) {
        if (stderr.length() < 64 * 1024) {
          stderr.append(line).append('\n');
        }
      }
    });
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
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    try {
      return new ChildJvm(pb.start(), main.getSimpleName() + " " + String.join(" ", args));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  private Thread pump(InputStream in, java.util.function.Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          sink.accept(line);
        }
      } catch (IOException e) {
        // the child died; what it wrote is kept
      }
    }, "child-jvm-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The lines the child has written to standard output so far. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Waits until a line matching {@code p} appears; fails if the child exits or time runs out first. */
  public String awaitLine(Predicate<String> p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (p.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !outReader.isAlive())) {
          throw new AssertionError("no expected line from " + description + " within " + timeout
              + " (alive: " + process.isAlive() + ")\nstdout tail: " + tail(lines) + "\nstderr: " + stderr());
        }
        try {
          lines.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  private static List<String> tail(List<String> l) {
    return l.subList(Math.max(0, l.size() - 20), l.size());
  }

  public String stderr() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  /**
   * Waits for the child to exit and returns its exit code, after its output has been read.
   *
   * @throws AssertionError if it does not exit in time (it is then killed)
   */
  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(description + " did not exit within " + timeout + "\nstderr: " + stderr());
      }
      outReader.join(10_000);
      errReader.join(10_000);
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
      outReader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  @Override
  public String toString() {
    return "ChildJvm[" + description + ", pid " + pid() + "]";
  }
}
