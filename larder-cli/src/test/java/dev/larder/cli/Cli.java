package dev.larder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the command line in-process on one cache directory, with in-memory standard streams. */
final class Cli {
  private final Path dir;

  Cli(Path dir) {
    this.dir = dir;
  }

  /** Runs {@code command args...} with {@code --dir} set and empty standard input. */
  CliResult run(String command, String... args) {
    return runWithInput(new ByteArrayInputStream(new byte[0]), command, args);
  }

  /** Runs {@code command args...} with {@code --dir} set and {@code stdin} on standard input. */
  CliResult runWithInput(byte[] stdin, String command, String... args) {
    return runWithInput(new ByteArrayInputStream(stdin), command, args);
  }

  /** Runs {@code command args...} with {@code --dir} set and {@code stdin} on standard input. */
  CliResult runWithInput(InputStream stdin, String command, String... args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.add("--dir");
    all.add(dir.toString());
    all.addAll(Arrays.asList(args));
    return raw(stdin, all.toArray(String[]::new));
  }

  /** Runs exactly {@code args}, with no {@code --dir} added. */
  static CliResult raw(String... args) {
    return raw(new ByteArrayInputStream(new byte[0]), args);
  }

  private static CliResult raw(InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new Io(stdin, out, err), args);
    return new CliResult(code, out.toByteArray(), err.toString(UTF_8));
  }
}
