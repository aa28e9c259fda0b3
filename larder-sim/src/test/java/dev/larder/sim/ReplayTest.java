package dev.larder.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class ReplayTest {

  @Test
  void lru_tinyTrace_matchesHandCount() {
    // Capacity 2, requests 1 2 1 3 1 2 3:
    //   1 miss [1], 2 miss [1 2], 1 hit [2 1], 3 miss evicts 2 [1 3], 1 hit [3 1],
    //   2 miss evicts 3 [1 2], 3 miss evicts 1 [2 3]: 2 hits.
    int[] trace = {1, 2, 1, 3, 1, 2, 3};
    try (LruModel lru = new LruModel(2)) {
      assertThat(HitRatio.replay(lru, trace)).isEqualTo(2);
      assertThat(lru.size()).isEqualTo(2);
    }
  }

  @Test
  void readInts_bigEndian_signed() throws Exception {
    byte[] bytes = {0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 0x12, 0x34, 0x56, 0x78,
        (byte) 0x80, 0, 0, 0};
    assertThat(Trace.readInts(new ByteArrayInputStream(bytes)))
        .containsExactly(1, -2, 0x12345678, Integer.MIN_VALUE);
  }

  @Test
  void readInts_truncated_throws() {
    assertThatThrownBy(() -> Trace.readInts(new ByteArrayInputStream(new byte[] {0, 0, 0, 7, 0, 1})))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("after 1 keys");
  }

  @Test
  void readXz_roundTrip(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (XZOutputStream xz = new XZOutputStream(raw, new LZMA2Options())) {
      xz.write(new byte[] {0, 0, 0, 42, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    }
    Path file = dir.resolve("t.trace.xz");
    Files.write(file, raw.toByteArray());
    Trace t = Trace.readXz("t", file);
    assertThat(t.keys()).containsExactly(42, Integer.MAX_VALUE);
    assertThat(t.distinctKeys()).isEqualTo(2);
  }
}
