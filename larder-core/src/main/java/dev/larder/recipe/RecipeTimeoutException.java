package dev.larder.recipe;

import dev.larder.LarderException;
import java.time.Duration;

/**
 * A recipe's wait ran out of time: a lock, permit or rate-limiter token was not granted within the
 * timeout given to a method that waits with a timeout and does not return {@code null} or {@code
 * false} instead (the {@code tryXxx} methods do). Nothing was acquired. Unchecked, like every
 * Larder exception.
 */
public class RecipeTimeoutException extends LarderException {
  private static final long serialVersionUID = 1L;

  private final transient Duration timeout;

  /** Creates the exception for a wait of {@code timeout} for {@code what}. */
  public RecipeTimeoutException(String what, Duration timeout) {
    super("timed out after " + timeout + " waiting for " + what);
    this.timeout = timeout;
  }

  /** The timeout that ran out. */
  public Duration timeout() {
    return timeout;
  }
}
