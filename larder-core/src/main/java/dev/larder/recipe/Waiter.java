package dev.larder.recipe;

import dev.larder.Cache;
import dev.larder.LarderException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The wait loop of the blocking recipes: try, sleep with capped exponential backoff and jitter,
 * try again, until the attempt succeeds or the timeout runs out.
 *
 * <h2>Decision: polling with backoff</h2>
 *
 * Another process cannot signal this one through LMDB, so waiting across processes is polling. A
 * fixed short sleep (diskcache's Lock sleeps 1 ms) turns every waiter into a stream of write
 * transactions that compete with the holder for LMDB's single writer; a fixed long sleep makes
 * every hand-over slow. So the sleep starts at {@value #MIN_SLEEP_MICROS} us and doubles per failed
 * attempt up to {@value #MAX_SLEEP_MILLIS} ms, each sleep drawn uniformly from the upper half of
 * its range ("equal jitter") so that waiters in different processes do not retry in lockstep. An
 * attempt may shorten the next sleep with a hint (the holder's lease ends sooner). Waiters in the
 * same process also wait on a monitor for the directory and name (one of 64 stripes), which a release in this process
 * notifies, so a hand-over between threads of one process does not wait for a sleep to end.
 *
 * <p>Rejected: file locks ({@code FileChannel.lock}). They belong to the process, not the thread
 * (the JVM throws {@code OverlappingFileLockException} for a second lock in one process, so an
 * in-process layer is needed anyway); closing any channel of the file drops every lock the process
 * holds on it (POSIX {@code fcntl} semantics); they are unreliable on network file systems; they
 * cannot say who holds them or expire by lease; and they would be a second locking mechanism
 * beside LMDB, invisible to the CLI and to the memcached door.
 *
 * <p>Timeouts are measured with {@link System#nanoTime()} (this process's monotonic clock), not
 * with a recipe's clock, so a manual clock in tests never makes a wait end early or hang.
 */
final class Waiter {
  static final long MIN_SLEEP_MICROS = 500;
  static final long MAX_SLEEP_MILLIS = 32;
  private static final long MIN_SLEEP_NANOS = MIN_SLEEP_MICROS * 1000;
  private static final long MAX_SLEEP_NANOS = MAX_SLEEP_MILLIS * 1_000_000;
  /** Monitors striped by directory and name: bounded memory whatever the number of names. */
  private static final Object[] MONITORS = new Object[64];

  static {
    for (int i = 0; i < MONITORS.length; i++) {
      MONITORS[i] = new Object();
    }
  }

  /** One attempt: the result, or {@code null} to wait and try again. */
  @FunctionalInterface
  interface Attempt<T> {
    T attempt(Waiter waiter);
  }

  private long backoffNanos = MIN_SLEEP_NANOS;
  private long hintNanos = Long.MAX_VALUE;

  private Waiter() {}

  /**
   * The monitor that waiters on {@code name} in {@code cache}'s directory wait on in this process.
   * Names that share a stripe only wake each other needlessly.
   */
  static Object monitor(Cache<?, ?> cache, String name) {
    int h = (cache.directory().toAbsolutePath().normalize().toString() + "\u0000" + name).hashCode();
    return MONITORS[Math.floorMod(h ^ (h >>> 16), MONITORS.length)];
  }

  /** Wakes this process's waiters on {@code monitor}. */
  static void wake(Object monitor) {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /** Asks for the next sleep to end within {@code millis} (e.g. when a holder's lease ends). */
  void retryWithin(long millis) {
    long nanos = Math.max(MIN_SLEEP_NANOS, Math.min(MAX_SLEEP_NANOS, millis * 1_000_000L));
    hintNanos = Math.min(hintNanos, nanos);
  }

  private long nextSleepNanos() {
    long cap = Math.min(backoffNanos, hintNanos);
    backoffNanos = Math.min(MAX_SLEEP_NANOS, backoffNanos * 2);
    hintNanos = Long.MAX_VALUE;
    return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
  }

  /**
   * Runs {@code attempt} until it returns a result or {@code timeout} has passed ({@code null}:
   * forever). A zero timeout makes exactly one attempt.
   *
   * @return the result, or {@code null} when the time ran out
   * @throws LarderException if the thread is interrupted while waiting (its interrupt status is
   *     set again)
   */
  static <T> T await(Object monitor, Duration timeout, String what, Attempt<T> attempt) {
    long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
    Waiter waiter = new Waiter();
    while (true) {
      T result = attempt.attempt(waiter);
      if (result != null) {
        return result;
      }
      long sleep = waiter.nextSleepNanos();
      if (timeout != null) { // deadline - now overflows without one: nanoTime may be negative
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        sleep = Math.min(sleep, left);
      }
      try {
        synchronized (monitor) {
          TimeUnit.NANOSECONDS.timedWait(monitor, sleep);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LarderException("interrupted while waiting for " + what, e);
      }
    }
  }
}
