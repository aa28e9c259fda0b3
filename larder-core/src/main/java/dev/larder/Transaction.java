package dev.larder;

import java.time.Duration;

/**
 * The operations available inside {@link Cache#transact}: they all act in one write transaction,
 * which commits when the work returns. Not thread-safe: use it only on the thread that runs the
 * work, and not after the work returns.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Transaction<K, V> {

  /** See {@link Cache#get}; sees this transaction's own writes. */
  V get(K key);

  /** See {@link Cache#getEntry}. */
  Entry<K, V> getEntry(K key);

  /** See {@link Cache#containsKey}. */
  boolean containsKey(K key);

  /** See {@link Cache#put(Object, Object)}. */
  void put(K key, V value);

  /** See {@link Cache#put(Object, Object, Put)}. */
  void put(K key, V value, Put options);

  /** See {@link Cache#add(Object, Object, Put)}. */
  boolean add(K key, V value, Put options);

  /** See {@link Cache#replace(Object, Object, Put)}. */
  boolean replace(K key, V value, Put options);

  /** See {@link Cache#cas(Object, long, Object, Put)}. */
  CasResult cas(K key, long version, V value, Put options);

  /** See {@link Cache#delete}. */
  boolean delete(K key);

  /** See {@link Cache#pop}. */
  V pop(K key);

  /** See {@link Cache#incr}. */
  long incr(K key, long delta);

  /** See {@link Cache#touch}. */
  boolean touch(K key, Duration ttl);

  /** See {@link Cache#persist}. */
  boolean persist(K key);
}
