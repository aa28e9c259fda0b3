package dev.larder.cli;

import dev.larder.Cache;
import dev.larder.Larder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that works on the cache in {@code --dir}: opens it, runs, and closes it, so every run
 * leaves the directory closed and flushed. Exceptions are left to {@link ErrorHandler}.
 *
 * <p>Commands that only read or remove ({@link #createsCache()} false) refuse a directory that does
 * not exist, instead of creating an empty cache wherever they happen to be run: a mistyped {@code
 * --dir} then says so rather than reporting every key as absent.
 */
abstract class CacheCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand LarderCommand top;

  @Mixin DirOption dir;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Override
  public final Integer call() throws IOException {
    prepare();
    Path path = dir.path();
    if (!createsCache() && !Files.exists(path)) {
      throw new CliException("no cache at " + path + ": the directory does not exist"
          + " (pass --dir, or store something with put or incr first)");
    }
    try (Cache<String, byte[]> cache = Larder.builder(path).open()) {
      return run(cache);
    }
  }

  /**
   * Checks and prepares the arguments before the cache is opened, so that a usage error leaves no
   * trace. Throws {@link picocli.CommandLine.ParameterException} for a bad argument.
   */
  void prepare() {}

  /** Runs the command on the open cache and returns the exit code. */
  abstract int run(Cache<String, byte[]> cache) throws IOException;

  /** Whether the command may create the cache directory; only writing commands do. */
  boolean createsCache() {
    return false;
  }

  /** The streams of this run, for value bytes. */
  Io io() {
    return top.io();
  }

  /** Standard output for text, in UTF-8. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error for text, in UTF-8. */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
