package dev.larder.recipe;

import dev.larder.Cache;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The state machine shared by {@link Lock} and {@link ReentrantLock}; see {@link Lock} for the
 * guarantees. Every change is one {@link Cache#transact} that reads the record, judges its lease
 * with this lock's clock, and writes the new record, so two owners can never both see the lock
 * free. Waiters peek with a plain read first, so a waiting process adds no write transactions
 * while a live lease stands.
 */
final class LockCore {
  private static final System.Logger LOG = System.getLogger(LockCore.class.getName());

  final Cache<String, byte[]> cache;
  final String name;
  final Duration lease;
  final InstantSource clock;
  final boolean reentrant;
  private final long leaseMillis;
  private final Object monitor;

  LockCore(Cache<String, byte[]> cache, String name, Duration lease, InstantSource clock, boolean reentrant) {
    this.cache = Checks.cache(cache);
    this.name = Checks.name(name);
    this.lease = Checks.lease(lease);
    this.clock = java.util.Objects.requireNonNull(clock, "clock");
    this.reentrant = reentrant;
    this.leaseMillis = lease.toMillis();
    this.monitor = Waiter.monitor(cache, name);
  }

  String kind() {
    return reentrant ? "re-entrant lock" : "lock";
  }

  LockLease acquire(Duration timeout) {
    String owner = Owner.current();
    return Waiter.await(monitor, timeout, kind() + " '" + name + "'", w -> tryOnce(owner, w));
  }

  private LockLease tryOnce(String owner, Waiter waiter) {
    long peekAt = clock.millis();
    LockState seen = LockState.decode(name, cache.get(name));
    if (seen != null && seen.liveAt(peekAt) && !seen.owner().equals(owner)) {
      waiter.retryWithin(seen.expiresAt() - peekAt);
      return null;
    }
    return cache.transact(tx -> {
      long now = clock.millis();
      LockState s = LockState.decode(name, tx.get(name));
      if (s != null && s.liveAt(now)) {
        if (!s.owner().equals(owner)) {
          waiter.retryWithin(s.expiresAt() - now);
          return null;
        }
        if (!reentrant) {
          throw new IllegalStateException("lock '" + name + "' is already held by this thread (" + owner
              + "); a Lock is not re-entrant, use a ReentrantLock");
        }
        if (s.holds() == Integer.MAX_VALUE) {
          throw new IllegalStateException("re-entrant lock '" + name + "' is held " + s.holds() + " times, the most");
        }
        LockState next = s.withHolds(s.holds() + 1, Math.addExact(now, leaseMillis));
        tx.put(name, next.encode());
        return new LockLease(this, next);
      }
      if (s != null && s.owner().equals(owner)) {
        LOG.log(Level.WARNING, "the lease of {0} ''{1}'' held by this thread ended at {2} before it was released",
            kind(), name, Instant.ofEpochMilli(s.expiresAt()));
      }
      // The fencing token is the version of the first write: unique in the directory, increasing.
      LockState first = new LockState(owner, 0, 1, now, Math.addExact(now, leaseMillis));
      tx.put(name, first.encode());
      LockState next = new LockState(owner, tx.getEntry(name).version(), 1, now, first.expiresAt());
      tx.put(name, next.encode());
      return new LockLease(this, next);
    });
  }

  /** Releases one hold of {@code owner}; with {@code token >= 0}, only the acquisition with that token. */
  void release(String owner, long token) {
    cache.transact(tx -> {
      LockState s = LockState.decode(name, tx.get(name));
      requireHeld(s, owner, token);
      if (s.holds() > 1) {
        tx.put(name, s.withHolds(s.holds() - 1, s.expiresAt()).encode());
      } else {
        tx.delete(name);
      }
      return null;
    });
    Waiter.wake(monitor);
  }

  /** Extends the lease of {@code owner}'s acquisition {@code token} to a full lease from now. */
  long renew(String owner, long token) {
    return cache.transact(tx -> {
      LockState s = LockState.decode(name, tx.get(name));
      requireHeld(s, owner, token);
      long expiresAt = Math.addExact(clock.millis(), leaseMillis);
      tx.put(name, s.withHolds(s.holds(), expiresAt).encode());
      return expiresAt;
    });
  }

  /**
   * Whether {@code s} is {@code owner}'s (and acquisition {@code token}'s, when not negative). A
   * hold whose lease ended but that nobody took over is still the owner's: it is released or
   * renewed quietly, since no one else held the lock meanwhile.
   */
  private void requireHeld(LockState s, String owner, long token) {
    if (s != null && s.owner().equals(owner) && (token < 0 || s.token() == token)) {
      return;
    }
    String why;
    if (s == null) {
      why = "it is free (a lease that ended may have been taken over and released since)";
    } else if (s.owner().equals(owner)) {
      why = "its lease ended and this thread acquired it again (token " + token + ", now " + s.token() + ")";
    } else {
      why = "it is held by " + s.owner() + " (token " + s.token() + ") until " + Instant.ofEpochMilli(s.expiresAt())
          + (token >= 0 ? "; this holder's lease ended and was taken over" : "");
    }
    throw new IllegalStateException(kind() + " '" + name + "' is not held by " + owner + ": " + why);
  }

  LockState state() {
    return LockState.decode(name, cache.get(name));
  }

  boolean isLocked() {
    LockState s = state();
    return s != null && s.liveAt(clock.millis());
  }

  /** The live holds of the calling thread, 0 if it does not hold the lock. */
  int holdsOfCurrentThread() {
    LockState s = state();
    return s != null && s.liveAt(clock.millis()) && s.owner().equals(Owner.current()) ? s.holds() : 0;
  }
}
