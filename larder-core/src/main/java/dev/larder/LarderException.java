package dev.larder;

/**
 * The root of Larder's domain failures: the store could not do what was asked for a reason other
 * than misuse of the API.
 *
 * <p>Misuse is reported with the JDK's own exceptions: {@link NullPointerException} for a null
 * argument, {@link IllegalArgumentException} for a bad value (naming the value), and {@link
 * IllegalStateException} for a call on a closed cache. Everything below this class says what went
 * wrong in the store itself, in LevelDB's vocabulary: {@link CorruptionException}, {@link
 * StorageException}, {@link SerializationException}, {@link CacheFullException}.
 */
public class LarderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public LarderException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the failure that caused it. */
  public LarderException(String message, Throwable cause) {
    super(message, cause);
  }
}
