package dev.larder.internal;

import java.util.Arrays;
import java.util.Comparator;
import jnr.ffi.Pointer;
import jnr.ffi.provider.MemoryManager;
import org.lmdbjava.BufferProxy;

/**
 * Byte arrays in and out of LMDB, like lmdbjava's {@code ByteArrayProxy.PROXY_BA}, but copying keys
 * and values into per-thread native buffers that are reused instead of allocated for every call.
 *
 * <p>Decision: {@code PROXY_BA} allocates fresh native memory for every key and value it passes
 * to LMDB; jnr-ffi hands that out from pages it maps and unmaps as the garbage collector frees
 * them, and with {@code MDB_WRITEMAP} those {@code mmap}/{@code munmap} calls were the largest cost
 * of a put in a profile. lmdbjava's {@code ByteBuffer} and Agrona proxies avoid the copy but need
 * {@code --add-exports} or an extra dependency; this proxy needs neither (DESIGN.md section 2: no
 * JVM flags).
 *
 * <p>Each thread has a ring of {@value #RING} buffers. One LMDB call passes at most two arrays (a
 * key and a value), so a buffer is never reused while LMDB may still read it.
 */
final class ArrayProxy extends BufferProxy<byte[]> {
  static final ArrayProxy INSTANCE = new ArrayProxy();

  private static final int RING = 4;
  private static final int INITIAL = 1024;
  private static final MemoryManager MEMORY = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager();
  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;
  private static final Comparator<byte[]> SIGNED = Arrays::compare;

  private static final class Ring {
    final Pointer[] buffers = new Pointer[RING];
    final int[] sizes = new int[RING];
    int next;
  }

  private static final ThreadLocal<Ring> RINGS = ThreadLocal.withInitial(Ring::new);

  private ArrayProxy() {}

  @Override
  protected byte[] allocate() {
    return new byte[0];
  }

  @Override
  protected void deallocate(byte[] buff) {
    // nothing to release
  }

  @Override
  protected byte[] getBytes(byte[] buffer) {
    return Arrays.copyOf(buffer, buffer.length);
  }

  @Override
  protected Comparator<byte[]> getSignedComparator() {
    return SIGNED;
  }

  @Override
  protected Comparator<byte[]> getUnsignedComparator() {
    return UNSIGNED;
  }

  @Override
  protected Pointer in(byte[] buffer, Pointer ptr) {
    Ring ring = RINGS.get();
    int i = ring.next;
    ring.next = (i + 1) % RING;
    Pointer native_ = ring.buffers[i];
    if (native_ == null || ring.sizes[i] < buffer.length) {
      int size = Math.max(INITIAL, Integer.highestOneBit(Math.max(1, buffer.length - 1)) << 1);
      native_ = MEMORY.allocateDirect(size);
      ring.buffers[i] = native_;
      ring.sizes[i] = size;
    }
    native_.put(0, buffer, 0, buffer.length);
    ptr.putLong(STRUCT_FIELD_OFFSET_SIZE, buffer.length);
    ptr.putAddress(STRUCT_FIELD_OFFSET_DATA, native_.address());
    return native_;
  }

  @Override
  protected Pointer in(byte[] buffer, int size, Pointer ptr) {
    return null; // MDB_RESERVE is not used with arrays
  }

  @Override
  protected byte[] out(byte[] buffer, Pointer ptr) {
    long address = ptr.getAddress(STRUCT_FIELD_OFFSET_DATA);
    int size = (int) ptr.getLong(STRUCT_FIELD_OFFSET_SIZE);
    byte[] bytes = new byte[size];
    MEMORY.newPointer(address, size).get(0, bytes, 0, size);
    return bytes;
  }
}
