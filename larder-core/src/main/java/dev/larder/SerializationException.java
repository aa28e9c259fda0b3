package dev.larder;

/**
 * A key or value could not be encoded or decoded by its {@link Codec}: a value written with another
 * codec, a class that the allow-list of {@link Codec#serializable} refuses, or a counter whose value
 * is not a decimal integer.
 */
public class SerializationException extends LarderException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public SerializationException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the failure that caused it. */
  public SerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
