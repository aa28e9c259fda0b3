package dev.larder.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.SerializationException;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The byte format of JCache keys and values. */
class SerializerTest {
  private final Serializer serializer = new Serializer(getClass().getClassLoader(), null);

  private Object roundTrip(Object o) {
    return serializer.decode(serializer.encode(o));
  }

  @Test
  void roundTrip_everyKind() {
    assertThat(roundTrip("grüße")).isEqualTo("grüße");
    assertThat(roundTrip("")).isEqualTo("");
    assertThat(roundTrip(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    assertThat(roundTrip(-1L)).isEqualTo(-1L);
    assertThat(roundTrip(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    assertThat((byte[]) roundTrip(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    assertThat(roundTrip(new Date(42))).isEqualTo(new Date(42));
    assertThat(roundTrip(Map.of("a", List.of(1, 2)))).isEqualTo(Map.of("a", List.of(1, 2)));
  }

  @Test
  void equalKeys_encodeToEqualBytes_andTypesStayApart() {
    assertThat(serializer.encode(new Date(42))).isEqualTo(serializer.encode(new Date(42)));
    assertThat(serializer.encode(1L)).isNotEqualTo(serializer.encode(1));
    assertThat(serializer.encode("1")).isNotEqualTo(serializer.encode(1L));
  }

  @Test
  void longKeys_sortInNumericOrder() {
    long[] values = {Long.MIN_VALUE, -5, -1, 0, 1, 7, Long.MAX_VALUE};
    for (int i = 1; i < values.length; i++) {
      assertThat(Arrays.compareUnsigned(serializer.encode(values[i - 1]), serializer.encode(values[i])))
          .as("%d < %d", values[i - 1], values[i]).isNegative();
    }
  }

  @Test
  void notSerializable_isRefusedWithTheClassName() {
    assertThatThrownBy(() -> serializer.encode(new Object()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
  }

  @Test
  void badBytes_areASerializationException() {
    assertThatThrownBy(() -> serializer.decode(new byte[] {9, 1})).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> serializer.decode(new byte[] {2, 1})).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> serializer.decode(new byte[] {0, 1, 2})).isInstanceOf(SerializationException.class);
  }
}
