package dev.larder.jcache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;

/**
 * A cache's entry listeners and the delivery of its events. Thread-safe.
 *
 * <p>Events fire in the JVM that made the change, after the change is committed: listeners in
 * other processes sharing the directory are not told (Larder has no change feed between
 * processes). An operation collects its events in a {@link Batch} and dispatches them while it
 * still holds its key's lock, so that each key's events reach every listener in the order of the
 * changes. A synchronous listener runs on the caller's thread before the operation returns, and
 * its failure reaches the caller as a {@link CacheEntryListenerException} (the change stays made);
 * an asynchronous listener gets its events in order on a pooled thread, and its failures are
 * logged.
 */
final class EventDispatcher<K, V> {
  private final Cache<K, V> source;
  private final Executor pool;
  private final CopyOnWriteArrayList<ListenerRegistration<K, V>> registrations = new CopyOnWriteArrayList<>();

  EventDispatcher(Cache<K, V> source, Executor pool) {
    this.source = source;
    this.pool = pool;
  }

  void register(CacheEntryListenerConfiguration<K, V> configuration) {
    registrations.add(new ListenerRegistration<>(configuration, pool));
  }

  /** Removes the registration of {@code configuration}; whether there was one. */
  boolean deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    for (ListenerRegistration<K, V> r : registrations) {
      if (r.configuration().equals(configuration)) {
        registrations.remove(r);
        r.close();
        return true;
      }
    }
    return false;
  }

  /** Whether some listener wants events of {@code type}. */
  boolean wants(EventType type) {
    for (ListenerRegistration<K, V> r : registrations) {
      if (r.handles(type)) {
        return true;
      }
    }
    return false;
  }

  /** A new, empty batch of events. */
  Batch<K, V> batch() {
    return new Batch<>(this);
  }

  /** Closes every listener and filter that is closeable. */
  void close() {
    for (ListenerRegistration<K, V> r : registrations) {
      r.close();
    }
    registrations.clear();
  }

  /** The events of one operation, in the order they happened. Not thread-safe. */
  static final class Batch<K, V> {
    private final EventDispatcher<K, V> dispatcher;
    private final List<EntryEvent<K, V>> events = new ArrayList<>(2);

    private Batch(EventDispatcher<K, V> dispatcher) {
      this.dispatcher = dispatcher;
    }

    void created(K key, V value) {
      add(EventType.CREATED, key, value, null, false);
    }

    void updated(K key, V value, V oldValue) {
      add(EventType.UPDATED, key, value, oldValue, true);
    }

    void removed(K key, V oldValue) {
      add(EventType.REMOVED, key, oldValue, oldValue, true);
    }

    void expired(K key, V oldValue) {
      add(EventType.EXPIRED, key, oldValue, oldValue, true);
    }

    private void add(EventType type, K key, V value, V oldValue, boolean oldValueAvailable) {
      if (!dispatcher.registrations.isEmpty()) {
        events.add(new EntryEvent<>(dispatcher.source, type, key, value, oldValue, oldValueAvailable));
      }
    }

    boolean isEmpty() {
      return events.isEmpty();
    }

    /**
     * Delivers the events to every listener that wants them, then forgets them.
     *
     * @throws CacheEntryListenerException if a synchronous listener failed; every listener has
     *     had its events by then
     */
    void dispatch() {
      if (events.isEmpty()) {
        return;
      }
      RuntimeException failure = null;
      for (ListenerRegistration<K, V> r : dispatcher.registrations) {
        try {
          deliver(r);
        } catch (RuntimeException e) {
          CacheEntryListenerException wrapped = e instanceof CacheEntryListenerException
              ? (CacheEntryListenerException) e
              : new CacheEntryListenerException("a cache entry listener failed: " + e, e);
          if (failure == null) {
            failure = wrapped;
          } else {
            failure.addSuppressed(wrapped);
          }
        }
      }
      events.clear();
      if (failure != null) {
        throw failure;
      }
    }

    /** Delivers the events {@code r} wants, grouping consecutive events of one type into one call. */
    private void deliver(ListenerRegistration<K, V> r) {
      List<EntryEvent<K, V>> run = new ArrayList<>();
      EventType runType = null;
      for (EntryEvent<K, V> e : events) {
        if (!r.handles(e.getEventType()) || !r.accepts(e)) {
          continue;
        }
        if (runType != null && runType != e.getEventType()) {
          send(r, runType, run);
          run = new ArrayList<>();
        }
        runType = e.getEventType();
        run.add(e.forListener(r.oldValueRequired()));
      }
      if (runType != null) {
        send(r, runType, run);
      }
    }

    private void send(ListenerRegistration<K, V> r, EventType type, List<EntryEvent<K, V>> run) {
      if (r.isSynchronous()) {
        r.deliver(type, run);
      } else {
        r.enqueue(() -> r.deliver(type, run));
      }
    }
  }
}
