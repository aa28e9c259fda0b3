package dev.larder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.Cache;
import dev.larder.Larder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * The process registry ({@link Processes}): an open handle is registered, and a clean close leaves
 * no entry behind, also for handles closed right after opening (as a short CLI command does), so
 * that the next open does not mistake them for crashes and sweep every value file. (The window in
 * which a late registration could outlive the close is narrow; these runs did not hit it without
 * the fix either, so this is a guard, not a reproduction.)
 */
class ProcessRegistryTest {
  @TempDir Path dir;

  @Test
  void openAndCloseAtOnce_manyTimes_leavesNoEntry() {
    for (int i = 0; i < 30; i++) {
      try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
        if (i % 3 == 0) {
          cache.put("k" + i, new byte[] {1});
        }
      }
    }
    assertThat(entries()).isEmpty();
  }

  @Test
  void whileOpen_thisProcessIsRegistered() throws Exception {
    try (Cache<String, byte[]> cache = Larder.builder(dir).open()) {
      cache.put("k", new byte[] {1});
      String self = "proc:" + ProcessHandle.current().pid();
      long deadline = System.nanoTime() + 30_000_000_000L;
      // Registration runs on the maintenance thread; read through the open handle's own store.
      Store s = Store.acquire(dir, new Store.OpenOptions(dev.larder.Durability.PROCESS, 0, null, null, null, null));
      try {
        while (System.nanoTime() < deadline && !s.read(txn -> s.meta.get(txn, self.getBytes(StandardCharsets.US_ASCII)) != null)) {
          Thread.sleep(10);
        }
        byte[] entry = s.read(txn -> s.meta.get(txn, self.getBytes(StandardCharsets.US_ASCII)));
        assertThat(entry).as("entry of this process").isNotNull();
      } finally {
        s.release();
      }
    }
    assertThat(entries()).isEmpty();
  }

  private List<String> entries() {
    List<String> out = new ArrayList<>();
    byte[] prefix = Processes.PREFIX.getBytes(StandardCharsets.US_ASCII);
    try (Env<byte[]> env = Env.create(ArrayProxy.INSTANCE).setMapSize(1L << 30).setMaxDbs(16).open(dir.toFile());
        Txn<byte[]> txn = env.txnRead()) {
      Dbi<byte[]> meta = env.openDbi(txn, "meta".getBytes(StandardCharsets.US_ASCII), null, false);
      try (Cursor<byte[]> c = meta.openCursor(txn)) {
        if (c.get(prefix, GetOp.MDB_SET_RANGE)) {
          do {
            if (!Bytes.startsWith(c.key(), prefix)) {
              break;
            }
            out.add(new String(c.key(), StandardCharsets.US_ASCII));
          } while (c.next());
        }
      }
    }
    return out;
  }
}
