package dev.larder.collect;

import dev.larder.LarderException;
import java.time.Duration;
import java.util.List;

/**
 * A {@link FanoutCache} write could not start on its shard within the operation timeout: another
 * thread or process held the shard's write lock (or queued writes ahead of it) for too long.
 *
 * <p>The write did not take effect and never will: it was withdrawn before it began, which is
 * decided atomically with the shard's transaction (see {@link FanoutCache}). Unlike
 * python-diskcache's {@code FanoutCache}, which returns quietly and drops the write, the caller
 * always learns of it. For a write that spans shards ({@code putAll}, {@code deleteAll}), {@link
 * #shards()} lists the shards whose part was withdrawn; the parts on other shards committed.
 */
public class ShardTimeoutException extends LarderException {
  private static final long serialVersionUID = 1L;
  private final List<Integer> shards;
  private final Duration timeout;

  /** Creates the exception for the withdrawn {@code shards}. */
  public ShardTimeoutException(String message, List<Integer> shards, Duration timeout) {
    super(message);
    this.shards = List.copyOf(shards);
    this.timeout = timeout;
  }

  /** The shards whose part of the operation was withdrawn, in ascending order. */
  public List<Integer> shards() {
    return shards;
  }

  /** The timeout that ran out. */
  public Duration timeout() {
    return timeout;
  }

  /** Always {@code false}: the withdrawn part of the operation did not take effect. */
  public boolean tookEffect() {
    return false;
  }
}
