package dev.larder.jcache;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * One registered listener: the listener and filter made from its configuration's factories, and,
 * for an asynchronous listener, a queue that delivers its events one batch at a time in the order
 * they happened. Thread-safe.
 */
final class ListenerRegistration<K, V> {
  private static final System.Logger LOG = System.getLogger(ListenerRegistration.class.getName());

  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;
  private final Executor queue;

  ListenerRegistration(CacheEntryListenerConfiguration<K, V> configuration, Executor pool) {
    this.configuration = configuration;
    this.listener = configuration.getCacheEntryListenerFactory().create();
    Factory<CacheEntryEventFilter<? super K, ? super V>> filters = configuration.getCacheEntryEventFilterFactory();
    this.filter = filters == null ? null : filters.create();
    this.queue = configuration.isSynchronous() ? null : new SerialQueue(pool);
  }

  CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  boolean isSynchronous() {
    return queue == null;
  }

  /** Whether the listener wants events of {@code type}. */
  boolean handles(EventType type) {
    switch (type) {
      case CREATED:
        return listener instanceof CacheEntryCreatedListener;
      case UPDATED:
        return listener instanceof CacheEntryUpdatedListener;
      case REMOVED:
        return listener instanceof CacheEntryRemovedListener;
      case EXPIRED:
        return listener instanceof CacheEntryExpiredListener;
      default:
        return false;
    }
  }

  /** Whether {@code event} passes the filter. */
  boolean accepts(EntryEvent<K, V> event) {
    return filter == null || filter.evaluate(event);
  }

  /** Whether the listener gets old values. */
  boolean oldValueRequired() {
    return configuration.isOldValueRequired();
  }

  /** Delivers {@code events}, all of one type, on this thread. */
  @SuppressWarnings("unchecked")
  void deliver(EventType type, List<EntryEvent<K, V>> events) {
    Iterable<javax.cache.event.CacheEntryEvent<? extends K, ? extends V>> batch = List.copyOf(events);
    switch (type) {
      case CREATED:
        ((CacheEntryCreatedListener<K, V>) listener).onCreated(batch);
        break;
      case UPDATED:
        ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(batch);
        break;
      case REMOVED:
        ((CacheEntryRemovedListener<K, V>) listener).onRemoved(batch);
        break;
      case EXPIRED:
        ((CacheEntryExpiredListener<K, V>) listener).onExpired(batch);
        break;
      default:
        break;
    }
  }

  /** Queues {@code delivery} for an asynchronous listener. */
  void enqueue(Runnable delivery) {
    queue.execute(delivery);
  }

  void close() {
    Closing.close(listener, "cache entry listener");
    Closing.close(filter, "cache entry event filter");
  }

  /** Runs tasks one at a time, in order, on a shared pool. */
  private static final class SerialQueue implements Executor {
    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialQueue(Executor pool) {
      this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
      synchronized (this) {
        tasks.add(task);
        if (running) {
          return;
        }
        running = true;
      }
      pool.execute(this::drain);
    }

    private void drain() {
      while (true) {
        Runnable task;
        synchronized (this) {
          task = tasks.poll();
          if (task == null) {
            running = false;
            return;
          }
        }
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          LOG.log(Level.WARNING, "an asynchronous cache entry listener failed", e);
        }
      }
    }
  }
}
