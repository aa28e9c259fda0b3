package dev.larder.jcache;

import dev.larder.jcache.EntryStore.Stored;
import dev.larder.jcache.EventDispatcher.Batch;
import dev.larder.jcache.ProcessorEntry.Operation;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.cache.CacheException;
import javax.cache.event.EventType;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * Entry processors on a {@link LarderJCache}: {@code invoke} and {@code invokeAll}. Thread-safe.
 *
 * <p>The processor runs with its key locked in this JVM, on a {@link ProcessorEntry} that records
 * what it does; the net effect is then committed as one conditional write. If another process
 * changed the entry meanwhile, the commit is refused and the processor runs again on the new
 * entry: with concurrent writers in several processes a processor may run more than once (and its
 * writer calls with it), and its last run's result is returned.
 */
@SuppressWarnings("try") // key locks are held by try-with-resources blocks that do not name them
final class Invocations<K, V> {
  private final CacheContext<K, V> ctx;
  private final KeyOperations<K, V> ops;

  Invocations(CacheContext<K, V> ctx, KeyOperations<K, V> ops) {
    this.ctx = ctx;
    this.ops = ops;
  }

  <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    ctx.checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(processor, "processor");
    boolean stats = ctx.statisticsEnabled();
    long start = stats ? System.nanoTime() : 0;
    byte[] k = ctx.keyBytes(key);
    try (KeyLocks.Held held = ctx.lock(k)) {
      for (int attempt = 0; ; attempt++) {
        ctx.attempt(attempt, key);
        Batch<K, V> batch = ctx.events().batch();
        long now = ctx.now();
        Stored old = ctx.store().readForWrite(k);
        if (old != null && old.isExpiredAt(now)) {
          if (!ops.expire(key, k, old, batch)) {
            continue;
          }
          old = null;
        }
        Stored existing = old;
        ProcessorEntry<K, V> entry = new ProcessorEntry<>(key,
            existing == null ? null : () -> ctx.decodeValue(existing.value()),
            ctx.readThrough() ? ctx::load : null);
        T result;
        try {
          result = processor.process(entry, arguments);
        } catch (CacheException e) {
          throw e;
        } catch (Exception e) {
          throw new EntryProcessorException(e);
        }
        long puts = 0;
        long removals = 0;
        switch (entry.operation()) {
          case ACCESS:
            ops.touchOnAccess(k, existing, now);
            break;
          case CREATE:
          case LOAD: {
            V value = entry.value();
            if (entry.operation() == Operation.CREATE) {
              ctx.checkTypes(key, value);
              ctx.writeThrough(key, value);
            }
            long expiresAt = ctx.expiry().onCreation(now);
            if (expiresAt > now) {
              if (!ctx.store().write(k, null, ctx.valueBytes(value), expiresAt)) {
                continue;
              }
              batch.created(key, value);
              puts = entry.operation() == Operation.CREATE ? 1 : 0;
            }
            break;
          }
          case UPDATE: {
            V value = entry.value();
            ctx.checkTypes(key, value);
            V oldValue = entry.original();
            ctx.writeThrough(key, value);
            long expiresAt = ctx.expiry().onUpdate(now, existing.expiresAt());
            if (!ctx.store().write(k, existing, ctx.valueBytes(value), expiresAt)) {
              continue;
            }
            batch.updated(key, value, oldValue);
            puts = 1;
            break;
          }
          case REMOVE: {
            ctx.deleteThrough(key);
            if (existing != null) {
              V oldValue = ctx.events().wants(EventType.REMOVED) ? entry.original() : null;
              if (!ctx.store().delete(k, existing)) {
                continue;
              }
              batch.removed(key, oldValue);
              removals = 1;
            }
            break;
          }
          default:
            break;
        }
        batch.dispatch();
        if (stats) {
          long elapsed = System.nanoTime() - start;
          if (existing != null) {
            ctx.statistics().hits(1);
          } else {
            ctx.statistics().misses(1);
          }
          ctx.statistics().getTime(elapsed);
          if (puts > 0) {
            ctx.statistics().puts(puts);
            ctx.statistics().putTime(elapsed);
          }
          if (removals > 0) {
            ctx.statistics().removals(removals);
            ctx.statistics().removeTime(elapsed);
          }
        }
        return result;
      }
    }
  }

  <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
      Object... arguments) {
    ctx.checkOpen();
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(processor, "processor");
    for (K key : keys) {
      Objects.requireNonNull(key, "one of the keys");
    }
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, ProcessorResult.of(result));
        }
      } catch (Exception e) {
        results.put(key, ProcessorResult.failed(e));
      }
    }
    return results;
  }
}
