package dev.larder.model;

import dev.larder.Cache;
import dev.larder.CasResult;
import dev.larder.Entry;
import dev.larder.Transaction;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The single-key operations that both {@link Cache} and {@link Transaction} offer, so that one
 * operation record runs at the top level and inside {@code transact}.
 */
interface Target {

  byte[] get(String key);

  Entry<String, byte[]> getEntry(String key);

  boolean containsKey(String key);

  void put(String key, byte[] value, Opts opts, long now);

  boolean add(String key, byte[] value, Opts opts, long now);

  boolean replace(String key, byte[] value, Opts opts, long now);

  CasResult cas(String key, long version, byte[] value, Opts opts, long now);

  boolean delete(String key);

  byte[] pop(String key);

  long incr(String key, long delta);

  boolean touch(String key, Duration ttl);

  boolean persist(String key);

  /**
   * The cache itself, as the supplier gives it at each call (it changes when the harness reopens
   * the directory). Uses the plain overloads where the options allow, to cover them too.
   */
  static Target of(Supplier<Cache<String, byte[]>> current) {
    return new Target() {
      private Cache<String, byte[]> c() {
        return current.get();
      }

      @Override
      public byte[] get(String key) {
        return c().get(key);
      }

      @Override
      public Entry<String, byte[]> getEntry(String key) {
        return c().getEntry(key);
      }

      @Override
      public boolean containsKey(String key) {
        return c().containsKey(key);
      }

      @Override
      public void put(String key, byte[] value, Opts opts, long now) {
        if (opts.plain()) {
          c().put(key, value);
        } else if (opts.ttlOnly()) {
          c().put(key, value, Duration.ofMillis(opts.ttlMillis()));
        } else {
          c().put(key, value, opts.toPut(now));
        }
      }

      @Override
      public boolean add(String key, byte[] value, Opts opts, long now) {
        return opts.plain() ? c().add(key, value) : c().add(key, value, opts.toPut(now));
      }

      @Override
      public boolean replace(String key, byte[] value, Opts opts, long now) {
        return opts.plain() ? c().replace(key, value) : c().replace(key, value, opts.toPut(now));
      }

      @Override
      public CasResult cas(String key, long version, byte[] value, Opts opts, long now) {
        return opts.plain() ? c().cas(key, version, value) : c().cas(key, version, value, opts.toPut(now));
      }

      @Override
      public boolean delete(String key) {
        return c().delete(key);
      }

      @Override
      public byte[] pop(String key) {
        return c().pop(key);
      }

      @Override
      public long incr(String key, long delta) {
        return c().incr(key, delta);
      }

      @Override
      public boolean touch(String key, Duration ttl) {
        return c().touch(key, ttl);
      }

      @Override
      public boolean persist(String key) {
        return c().persist(key);
      }
    };
  }

  /** A transaction handed to {@code transact}. */
  static Target of(Transaction<String, byte[]> tx) {
    return new Target() {
      @Override
      public byte[] get(String key) {
        return tx.get(key);
      }

      @Override
      public Entry<String, byte[]> getEntry(String key) {
        return tx.getEntry(key);
      }

      @Override
      public boolean containsKey(String key) {
        return tx.containsKey(key);
      }

      @Override
      public void put(String key, byte[] value, Opts opts, long now) {
        if (opts.plain()) {
          tx.put(key, value);
        } else {
          tx.put(key, value, opts.toPut(now));
        }
      }

      @Override
      public boolean add(String key, byte[] value, Opts opts, long now) {
        return tx.add(key, value, opts.toPut(now));
      }

      @Override
      public boolean replace(String key, byte[] value, Opts opts, long now) {
        return tx.replace(key, value, opts.toPut(now));
      }

      @Override
      public CasResult cas(String key, long version, byte[] value, Opts opts, long now) {
        return tx.cas(key, version, value, opts.toPut(now));
      }

      @Override
      public boolean delete(String key) {
        return tx.delete(key);
      }

      @Override
      public byte[] pop(String key) {
        return tx.pop(key);
      }

      @Override
      public long incr(String key, long delta) {
        return tx.incr(key, delta);
      }

      @Override
      public boolean touch(String key, Duration ttl) {
        return tx.touch(key, ttl);
      }

      @Override
      public boolean persist(String key) {
        return tx.persist(key);
      }
    };
  }
}
