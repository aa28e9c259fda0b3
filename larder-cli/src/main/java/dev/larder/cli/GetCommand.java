package dev.larder.cli;

import dev.larder.Cache;
import dev.larder.StoredValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code larder get KEY}: writes the value's bytes to standard output exactly, with no newline
 * added. The value is streamed, so a large one is never held in memory.
 *
 * <p>The checksum is verified as the stream reaches its end: a damaged value fails with exit code
 * 3 after part of it may have been written, so a consumer must look at the exit code, as with any
 * streaming command.
 */
@Command(
    name = "get",
    description = {
      "Writes the value of KEY to standard output, byte for byte, with no newline added.",
      "Exits with 1, printing nothing, when KEY has no live entry."
    })
final class GetCommand extends CacheCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @Override
  int run(Cache<String, byte[]> cache) throws IOException {
    try (StoredValue value = cache.open(key)) {
      if (value == null) {
        return ExitCodes.ABSENT;
      }
      copy(value, io().out());
      return ExitCodes.OK;
    }
  }

  /**
   * Copies the value to {@code out}. Not {@code transferTo}: a failure to write (a closed pipe, a
   * full disk) must be told apart from a failure to read the value.
   */
  private static void copy(StoredValue value, OutputStream out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = value.inputStream()) {
      for (int n; (n = in.read(buf)) != -1; ) {
        write(out, buf, n);
      }
    }
    try {
      out.flush();
    } catch (IOException e) {
      throw new CliException("cannot write to standard output: " + e.getMessage(), e);
    }
  }

  private static void write(OutputStream out, byte[] buf, int n) {
    try {
      out.write(buf, 0, n);
    } catch (IOException e) {
      throw new CliException("cannot write to standard output: " + e.getMessage(), e);
    }
  }
}
