package dev.larder.cli;

import dev.larder.Cache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code larder incr KEY [DELTA]}: adds to a counter and prints its new value. Counters are decimal
 * text, shared with every process and with {@code get} and {@code put}.
 */
@Command(
    name = "incr",
    description = {
      "Adds DELTA (default 1; may be negative) to the counter at KEY and prints the new value.",
      "A missing counter starts from 0. A counter is decimal text: 'larder put KEY 41' makes one, and "
          + "so does 'echo 41 | larder put KEY' (leading spaces and trailing spaces, CR and LF are "
          + "accepted). Fails with exit code 3 when the value is not a decimal 64-bit integer or the "
          + "result would overflow."
    })
final class IncrCommand extends CacheCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DELTA", defaultValue = "1",
      description = "The amount to add (default: ${DEFAULT-VALUE}); negative to subtract.")
  long delta;

  @Override
  boolean createsCache() {
    return true;
  }

  @Override
  int run(Cache<String, byte[]> cache) {
    long value;
    try {
      value = cache.incr(key, delta);
    } catch (ArithmeticException e) {
      throw new CliException("adding " + delta + " to " + key
          + " would overflow a 64-bit integer; the counter is unchanged", e);
    }
    out().print(value);
    out().print('\n');
    return ExitCodes.OK;
  }
}
