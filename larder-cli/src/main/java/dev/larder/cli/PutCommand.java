package dev.larder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.larder.Cache;
import dev.larder.Put;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code larder put KEY [VALUE]}: stores a value. Without VALUE the value is standard input, read
 * to its end and streamed into the cache, so a large value is never held in memory and binary
 * bytes are kept exactly.
 */
@Command(
    name = "put",
    description = {
      "Stores VALUE under KEY, replacing any entry.",
      "Without VALUE, stores standard input as it is: binary-safe and streamed, so any size up to "
          + "the cache's size limit."
    })
final class PutCommand extends CacheCommand {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE",
      description = "The value, stored as UTF-8. Omit it to read the value from standard input.")
  String value;

  @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Expire the entry after DURATION: 500ms, 30s, 5m, 2h, 1d, 1h30m, or ISO-8601 such as PT30S.")
  Duration ttl;

  @Option(names = "--tag", paramLabel = "TAG",
      description = "Tag the entry. Repeat for several tags.")
  List<String> tags = new ArrayList<>();

  private Put options;

  @Override
  boolean createsCache() {
    return true;
  }

  /** Builds the write options; limits that {@link Put} checks (TTL, tags) are usage errors. */
  @Override
  void prepare() {
    Put put;
    try {
      put = Put.DEFAULT.withTags(new LinkedHashSet<>(tags));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--tag': " + e.getMessage(), e);
    }
    try {
      options = ttl != null ? put.withTtl(ttl) : put;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--ttl': " + e.getMessage(), e);
    }
  }

  @Override
  int run(Cache<String, byte[]> cache) {
    if (value != null) {
      cache.put(key, value.getBytes(UTF_8), options);
    } else {
      cache.putStream(key, io().in(), options);
    }
    return ExitCodes.OK;
  }
}
