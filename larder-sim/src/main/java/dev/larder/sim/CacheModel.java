package dev.larder.sim;

/**
 * One cache under test, driven one request at a time: look the key up and, on a miss, store it.
 * Not thread-safe; a replay uses one model from one thread.
 */
interface CacheModel extends AutoCloseable {

  /**
   * Requests {@code key}: a lookup, followed by a store of the key when the lookup missed.
   *
   * @return whether the lookup hit
   */
  boolean request(int key);

  /**
   * Checks the model after a replay: returns a description of anything wrong (such as more entries
   * than the size limit), or {@code null}.
   */
  default String verify(long hits, long requests) {
    return null;
  }

  @Override
  default void close() {}
}
