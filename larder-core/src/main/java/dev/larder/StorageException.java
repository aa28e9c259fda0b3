package dev.larder;

/**
 * The file system or the storage engine failed: a full disk, an I/O error, a permission problem, an
 * LMDB error.
 *
 * <p>{@link #tookEffect()} says whether the operation was applied anyway. Larder commits a write in
 * one LMDB transaction, so a failure before or during the commit leaves the cache exactly as it was
 * ({@code tookEffect() == false}); a failure after the commit (for example while removing a replaced
 * value's file, which {@code check(true)} cleans up later) is logged and not thrown.
 */
public class StorageException extends LarderException {
  private static final long serialVersionUID = 1L;

  private final boolean tookEffect;

  /** Creates an exception for a failed operation; {@code tookEffect} says whether it was applied. */
  public StorageException(String message, Throwable cause, boolean tookEffect) {
    super(message, cause);
    this.tookEffect = tookEffect;
  }

  /** Whether the failed operation was applied to the cache despite the failure. */
  public boolean tookEffect() {
    return tookEffect;
  }
}
