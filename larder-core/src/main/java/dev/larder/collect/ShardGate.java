package dev.larder.collect;

import dev.larder.Cache;
import dev.larder.Transaction;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one shard's timed writes on a worker thread, so that a caller can stop waiting for a write
 * lock that LMDB gives no way to wait for with a timeout.
 *
 * <h2>Withdrawal</h2>
 *
 * Each write is an {@link Attempt} with a state: PENDING, then either RUNNING (set by the worker
 * inside the shard's write transaction, while it holds the write lock) or WITHDRAWN (set by a
 * caller whose time ran out). The two compare-and-sets race on one variable, so exactly one wins:
 * if the caller wins, the work throws inside the transaction before writing anything and the
 * transaction rolls back, so the write never takes effect; if the worker wins, the caller waits for
 * the commit, which is quick because the worker holds the lock already. Rejected: a plain {@code
 * Future.get(timeout)} followed by {@code cancel}, which cannot stop a write that is already
 * blocked on the lock and would commit it after the caller was told it failed.
 *
 * <p>One worker per shard is enough: LMDB admits one writer per environment anyway, and queued
 * writes wait in the same timeout. The queue is bounded; a full queue counts as a timeout.
 */
final class ShardGate implements AutoCloseable {
  static final int PENDING = 0;
  static final int RUNNING = 1;
  static final int WITHDRAWN = 2;
  private static final int QUEUE = 4096;

  private final ThreadPoolExecutor worker;

  ShardGate(int shard) {
    this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, String.format("larder-fanout-shard-%03d", shard));
      t.setDaemon(true);
      return t;
    });
  }

  /** Thrown inside a transaction whose caller withdrew: rolls it back. */
  static final class Withdrawn extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Withdrawn() {
      super("withdrawn", null, false, false);
    }
  }

  /** One write submitted to the shard. */
  static final class Attempt<R> {
    final AtomicInteger state = new AtomicInteger(PENDING);
    final CompletableFuture<R> result = new CompletableFuture<>();

    /**
     * Withdraws the attempt if it has not started.
     *
     * @return true if withdrawn (it will never take effect), false if it is running or done
     */
    boolean withdraw() {
      return state.compareAndSet(PENDING, WITHDRAWN);
    }

    /** The result, waiting without a limit: for an attempt that is running or done. */
    R join() {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return result.get();
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (ExecutionException e) {
            throw rethrow(e.getCause());
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }

  /**
   * Submits {@code work} to run in one transaction of {@code shard}.
   *
   * @return the attempt, or null if the queue is full
   */
  <K, V, R> Attempt<R> submit(Cache<K, V> shard, Function<Transaction<K, V>, R> work) {
    Attempt<R> a = new Attempt<>();
    try {
      worker.execute(() -> run(shard, work, a));
    } catch (RejectedExecutionException e) {
      return null;
    }
    return a;
  }

  private static <K, V, R> void run(Cache<K, V> shard, Function<Transaction<K, V>, R> work, Attempt<R> a) {
    if (a.state.get() == WITHDRAWN) {
      a.result.completeExceptionally(new Withdrawn());
      return;
    }
    try {
      R r = shard.transact(tx -> {
        // transact may run the work again after growing the map: RUNNING stays RUNNING.
        int s = a.state.get();
        if (s == WITHDRAWN || (s == PENDING && !a.state.compareAndSet(PENDING, RUNNING))) {
          throw new Withdrawn();
        }
        return work.apply(tx);
      });
      a.result.complete(r);
    } catch (Throwable t) {
      a.result.completeExceptionally(t);
    }
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
