package dev.larder.jcache;

import java.io.Closeable;
import java.lang.System.Logger.Level;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * Turns a JCache {@link ExpiryPolicy}'s durations into absolute expiry times in epoch milliseconds
 * ({@link EntryStore#ETERNAL} for none). Thread-safe if the policy is.
 *
 * <p>As the specification asks: {@link Duration#ZERO} means "expired now"; {@code null} from the
 * update and access methods means "keep the current expiry time"; a policy that throws is treated
 * as eternal on creation and as {@code null} otherwise (the reference implementation's reading).
 */
final class ExpiryTimes {
  private static final System.Logger LOG = System.getLogger(ExpiryTimes.class.getName());

  private final ExpiryPolicy policy;

  ExpiryTimes(ExpiryPolicy policy) {
    this.policy = policy;
  }

  ExpiryPolicy policy() {
    return policy;
  }

  /** The expiry time of an entry created at {@code now}. */
  long onCreation(long now) {
    Duration d;
    try {
      d = policy.getExpiryForCreation();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "expiry policy failed on creation; the entry does not expire", e);
      return EntryStore.ETERNAL;
    }
    return d == null ? EntryStore.ETERNAL : at(now, d);
  }

  /** The expiry time of an entry updated at {@code now}, whose expiry time was {@code current}. */
  long onUpdate(long now, long current) {
    Duration d;
    try {
      d = policy.getExpiryForUpdate();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "expiry policy failed on update; the expiry time is unchanged", e);
      return current;
    }
    return d == null ? current : at(now, d);
  }

  /** The expiry time of an entry read at {@code now}, whose expiry time was {@code current}. */
  long onAccess(long now, long current) {
    Duration d;
    try {
      d = policy.getExpiryForAccess();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "expiry policy failed on access; the expiry time is unchanged", e);
      return current;
    }
    return d == null ? current : at(now, d);
  }

  private static long at(long now, Duration d) {
    if (d.isEternal()) {
      return EntryStore.ETERNAL;
    }
    if (d.isZero()) {
      return now;
    }
    long millis = d.getTimeUnit().toMillis(d.getDurationAmount());
    long at = now + millis;
    return at < now ? EntryStore.ETERNAL : at;
  }

  /** Closes the policy if it is {@link Closeable}. */
  void close() {
    Closing.close(policy, "expiry policy");
  }
}
