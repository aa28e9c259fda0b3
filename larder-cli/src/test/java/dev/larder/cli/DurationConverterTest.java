package dev.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The forms {@code --ttl} accepts, without a cache. */
class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void convert_unitForms() {
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(converter.convert("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(converter.convert("1d2h3m4s5ms")).isEqualTo(Duration.parse("P1DT2H3M4.005S"));
    assertThat(converter.convert(" 90s ")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void convert_iso8601() {
    assertThat(converter.convert("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    assertThat(converter.convert("P2D")).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void convert_zeroOrNegative_isRefused() {
    assertThatThrownBy(() -> converter.convert("0ms")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("not a positive duration");
    assertThatThrownBy(() -> converter.convert("PT-1S")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("not a positive duration");
  }

  @Test
  void convert_noUnit_namesTheForms() {
    assertThatThrownBy(() -> converter.convert("30")).isInstanceOf(TypeConversionException.class)
        .hasMessage("'30' is not a duration: " + DurationConverter.FORMS);
  }
}
