package dev.larder.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a positive duration: a number and a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code
 * 2h}, {@code 1d}), several of them in a row ({@code 1h30m}), or ISO-8601 ({@code PT30S}, {@code
 * P1D}). Units are lower case, so that {@code m} (minutes) is never read as months.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  static final String FORMS = "use a number and a unit (500ms, 30s, 5m, 2h, 1d, or 1h30m) or ISO-8601 (PT30S)";

  @Override
  public Duration convert(String text) {
    String s = text.strip();
    Duration d = s.startsWith("P") || s.startsWith("p") ? iso(text, s) : units(text, s);
    if (d.isNegative() || d.isZero()) {
      throw new TypeConversionException("'" + text + "' is not a positive duration");
    }
    return d;
  }

  private static Duration iso(String text, String s) {
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw notADuration(text);
    }
  }

  private static Duration units(String text, String s) {
    if (s.isEmpty()) {
      throw notADuration(text);
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    try {
      while (at < s.length()) {
        m.region(at, s.length());
        if (!m.lookingAt()) {
          throw notADuration(text);
        }
        long n = Long.parseLong(m.group(1));
        total = total.plus(Duration.of(n, unit(m.group(2))));
        at = m.end();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new TypeConversionException("'" + text + "' is too long a duration");
    }
    return total;
  }

  private static ChronoUnit unit(String u) {
    return switch (u) {
      case "ms" -> ChronoUnit.MILLIS;
      case "s" -> ChronoUnit.SECONDS;
      case "m" -> ChronoUnit.MINUTES;
      case "h" -> ChronoUnit.HOURS;
      case "d" -> ChronoUnit.DAYS;
      default -> throw new AssertionError(u);
    };
  }

  private static TypeConversionException notADuration(String text) {
    return new TypeConversionException("'" + text + "' is not a duration: " + FORMS);
  }
}
