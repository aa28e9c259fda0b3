package dev.larder.recipe;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs code under a {@link Lock}, {@link ReentrantLock} or {@link Semaphore}, so that across every
 * thread and process at most one caller (or {@code permits} callers) runs it at a time:
 * diskcache's {@code barrier} decorator.
 *
 * <pre>{@code
 * Barrier once = Barrier.of(Lock.of(cache, "migrate"));
 * Function<String, Report> migrate = once.wrap(this::migrateTable);
 * migrate.apply("users"); // serialized across processes
 * }</pre>
 *
 * <p>While the code runs, the barrier renews the lease every third of its length from a daemon
 * thread, so code that runs longer than the lease keeps the lock; a crash of the process still
 * frees it when the last renewed lease ends. If a renewal finds the lock lost (the process was
 * stalled, say, for longer than a lease), the barrier logs a warning and the release at the end
 * throws {@link IllegalStateException}, after the code's own result or exception is settled.
 * {@link #withoutRenewal()} turns renewal off: then the lease bounds the run.
 *
 * <p>Thread-safe and process-safe as its lock; fairness: none; immutable. An exception thrown by
 * the code reaches the caller after the lock is released.
 */
public final class Barrier {
  private static final System.Logger LOG = System.getLogger(Barrier.class.getName());
  private static final ScheduledExecutorService RENEWER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "larder-lease-renewer");
    t.setDaemon(true);
    return t;
  });

  private final String what;
  private final Function<Duration, Hold> acquire;
  private final Duration timeout;
  private final boolean renew;

  private Barrier(String what, Function<Duration, Hold> acquire, Duration timeout, boolean renew) {
    this.what = what;
    this.acquire = acquire;
    this.timeout = timeout;
    this.renew = renew;
  }

  /** A barrier that runs code under {@code lock}. Code under it must not enter it again. */
  public static Barrier of(Lock lock) {
    Objects.requireNonNull(lock, "lock");
    return new Barrier(lock.toString(), t -> t == null ? lock.lock() : lock.lock(t), null, true);
  }

  /** A barrier that runs code under {@code lock}; code under it may enter it again. */
  public static Barrier of(ReentrantLock lock) {
    Objects.requireNonNull(lock, "lock");
    return new Barrier(lock.toString(), t -> t == null ? lock.lock() : lock.lock(t), null, true);
  }

  /** A barrier that lets at most {@code semaphore.permits()} callers run code at once. */
  public static Barrier of(Semaphore semaphore) {
    Objects.requireNonNull(semaphore, "semaphore");
    return new Barrier(semaphore.toString(), t -> t == null ? semaphore.acquire() : semaphore.acquire(t), null, true);
  }

  /**
   * This barrier waiting at most {@code timeout} to enter; then the call throws {@link
   * RecipeTimeoutException} without running the code.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public Barrier withTimeout(Duration timeout) {
    return new Barrier(what, acquire, Checks.timeout(timeout), renew);
  }

  /** This barrier without lease renewal: code that outlives the lease may overlap the next caller's. */
  public Barrier withoutRenewal() {
    return new Barrier(what, acquire, timeout, false);
  }

  /**
   * Runs {@code code} under the barrier and returns its result.
   *
   * @throws RecipeTimeoutException if a timeout is set and ran out before entry
   * @throws IllegalStateException if the lease was lost while the code ran (after it ran)
   */
  public <T> T call(Supplier<? extends T> code) {
    Objects.requireNonNull(code, "code");
    Hold hold = acquire.apply(timeout);
    Renewal renewal = renew ? new Renewal(hold) : null;
    T result;
    try {
      result = code.get();
    } catch (Throwable t) {
      try {
        leave(hold, renewal);
      } catch (RuntimeException e) {
        t.addSuppressed(e);
      }
      throw t;
    }
    leave(hold, renewal);
    return result;
  }

  private static void leave(Hold hold, Renewal renewal) {
    if (renewal != null) {
      renewal.stop();
    }
    hold.close();
  }

  /** Runs {@code code} under the barrier. See {@link #call}. */
  public void run(Runnable code) {
    Objects.requireNonNull(code, "code");
    call(() -> {
      code.run();
      return null;
    });
  }

  /** {@code function}, each call of which runs under this barrier: the decorator form. */
  public <A, R> Function<A, R> wrap(Function<? super A, ? extends R> function) {
    Objects.requireNonNull(function, "function");
    return a -> call(() -> function.apply(a));
  }

  /** {@code supplier}, each call of which runs under this barrier. */
  public <T> Supplier<T> wrap(Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> call(supplier);
  }

  /** Renews a hold every third of its lease until stopped; stop() waits out a renewal in flight. */
  private final class Renewal implements Runnable {
    private final Hold hold;
    private ScheduledFuture<?> future;
    private boolean stopped;

    Renewal(Hold hold) {
      this.hold = hold;
      long period = Math.max(1, hold.leaseLength().toMillis() / 3);
      synchronized (this) { // run() waits until future is set
        this.future = RENEWER.scheduleWithFixedDelay(this, period, period, TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public synchronized void run() {
      if (stopped) {
        return;
      }
      try {
        hold.renew();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not renew the lease of " + what + "; the code under it may overlap"
            + " another holder's: " + e.getMessage());
        stopped = true;
        future.cancel(false);
      }
    }

    synchronized void stop() {
      stopped = true;
      future.cancel(false);
    }
  }

  @Override
  public String toString() {
    return "Barrier[" + what + "]";
  }
}
