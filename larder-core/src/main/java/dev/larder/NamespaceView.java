package dev.larder;

import dev.larder.internal.Space;

/** A {@link Namespace}: the cache's operations in another {@link Space}. */
final class NamespaceView<K, V> extends LarderCache<K, V> implements Namespace<K, V> {
  private final LarderCache<K, V> parent;

  NamespaceView(LarderCache<K, V> parent, Space space) {
    super(parent.store(), parent.keyCodec(), parent.valueCodec(), parent.clock(), space);
    this.parent = parent;
  }

  @Override
  void checkOpen() {
    parent.checkOpen();
  }

  @Override
  public String name() {
    return space.name();
  }

  @Override
  public long generation() {
    checkOpen();
    return store().read(txn -> space.generation(store(), txn));
  }

  @Override
  public void invalidate() {
    checkOpen();
    store().write(w -> space.invalidate(w), now());
    store().reclaimSoon();
  }

  @Override
  public void clear() {
    invalidate();
  }

  @Override
  public long size() {
    checkOpen();
    return keys().count();
  }

  @Override
  public long volume() {
    checkOpen();
    return store().volumeOf(space, now());
  }

  @Override
  public Namespace<K, V> namespace(String name) {
    throw new UnsupportedOperationException("namespaces do not nest: " + name() + " / " + name);
  }

  @Override
  public void close() {
    // the cache owns the store
  }

  @Override
  public String toString() {
    return "Namespace[" + name() + " of " + parent + "]";
  }
}
