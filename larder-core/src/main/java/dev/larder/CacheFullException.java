package dev.larder;

/**
 * A write would take the cache over its size limit and the eviction policy is {@link
 * EvictionPolicy#NONE}, so nothing may be evicted to make room. The cache is unchanged.
 */
public class CacheFullException extends LarderException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message naming the limit and the size of the write. */
  public CacheFullException(String message) {
    super(message);
  }
}
