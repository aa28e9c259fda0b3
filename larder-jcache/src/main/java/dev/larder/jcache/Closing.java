package dev.larder.jcache;

import java.lang.System.Logger.Level;

/** Closes user objects (loaders, writers, policies, listeners) that are {@link AutoCloseable}. */
final class Closing {
  private static final System.Logger LOG = System.getLogger(Closing.class.getName());

  private Closing() {}

  /** Closes {@code o} if it is closeable; a failure is logged, not thrown. */
  static void close(Object o, String what) {
    if (o instanceof AutoCloseable) {
      try {
        ((AutoCloseable) o).close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing the " + what + " " + o.getClass().getName() + " failed", e);
      }
    }
  }
}
