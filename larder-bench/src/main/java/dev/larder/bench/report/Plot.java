package dev.larder.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a bar chart or a line chart from a small CSV file into a PNG, with nothing but the JDK
 * (java.awt, headless, and ImageIO), so that the benchmark report can be regenerated on any
 * machine with a JDK. Runs from its source file without a build: {@code java
 * larder-bench/src/main/java/dev/larder/bench/report/Plot.java --type bar --in data.csv --out
 * chart.png --title T --x-label X --y-label Y [--log-y] [--log-x]}.
 *
 * <p>The CSV's first row names the columns: the x column, then one column per series. Each further
 * row is one x value (a category for bars, a number for lines) and the series' values; an empty
 * cell is a missing value. Bars are grouped by row, one bar per series.
 */
public final class Plot {
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 600;
  private static final int LEFT = 95;
  private static final int RIGHT = 240;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf),
  };

  private Plot() {}

  /**
   * Draws the chart.
   *
   * @throws IllegalArgumentException on a bad option or CSV
   */
  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--log-y") || a.equals("--log-x")) {
        opts.put(a.substring(2), "true");
      } else if (a.startsWith("--") && i + 1 < args.length) {
        opts.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
    }
    List<String> lines = Files.readAllLines(Path.of(require(opts, "in")), StandardCharsets.UTF_8);
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<String> xs = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      xs.add(cells[0]);
      double[] values = new double[header.size() - 1];
      for (int s = 0; s < values.length; s++) {
        String c = s + 1 < cells.length ? cells[s + 1].trim() : "";
        values[s] = c.isEmpty() ? Double.NaN : Double.parseDouble(c);
      }
      rows.add(values);
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    List<String> series = header.subList(1, header.size());
    boolean logY = opts.containsKey("log-y");
    Axis y = Axis.of(rows, logY);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    centre(g, opts.getOrDefault("title", ""), LEFT + (WIDTH - LEFT - RIGHT) / 2, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    drawYAxis(g, y, opts.getOrDefault("y-label", ""));
    centre(g, opts.getOrDefault("x-label", header.get(0)), LEFT + (WIDTH - LEFT - RIGHT) / 2,
        HEIGHT - 15);
    if (opts.getOrDefault("type", "bar").equals("bar")) {
      drawBars(g, xs, rows, series.size(), y);
    } else {
      drawLines(g, xs, rows, series.size(), y, opts.containsKey("log-x"));
    }
    drawLegend(g, series);
    g.dispose();
    File out = new File(require(opts, "out"));
    if (!ImageIO.write(image, "png", out)) {
      throw new IOException("no PNG writer for " + out);
    }
  }

  /** The y scale: linear from 0, or log10 between powers of ten around the data. */
  private record Axis(double min, double max, boolean log) {
    static Axis of(List<double[]> rows, boolean log) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double[] r : rows) {
        for (double v : r) {
          if (!Double.isNaN(v) && (!log || v > 0)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
      if (hi == Double.NEGATIVE_INFINITY) {
        return new Axis(log ? 1 : 0, log ? 10 : 1, log);
      }
      if (log) {
        return new Axis(Math.pow(10, Math.floor(Math.log10(lo))),
            Math.pow(10, Math.ceil(Math.log10(hi * 1.0001))), true);
      }
      return new Axis(0, niceCeil(hi * 1.05), false);
    }

    int pixel(double v) {
      double f = log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
          : (v - min) / (max - min);
      return (int) Math.round(HEIGHT - BOTTOM - f * (HEIGHT - TOP - BOTTOM));
    }

    List<Double> ticks() {
      List<Double> t = new ArrayList<>();
      if (log) {
        for (double v = min; v <= max * 1.0001; v *= 10) {
          t.add(v);
        }
      } else {
        double step = niceCeil(max / 6);
        for (double v = 0; v <= max * 1.0001; v += step) {
          t.add(v);
        }
      }
      return t;
    }
  }

  private static double niceCeil(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static void drawYAxis(Graphics2D g, Axis y, String label) {
    int x0 = LEFT;
    int x1 = WIDTH - RIGHT;
    for (double t : y.ticks()) {
      int py = y.pixel(t);
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(x0, py, x1, py);
      g.setColor(Color.BLACK);
      String s = format(t);
      g.drawString(s, x0 - 8 - g.getFontMetrics().stringWidth(s), py + 5);
    }
    g.drawLine(x0, TOP, x0, HEIGHT - BOTTOM);
    g.drawLine(x0, HEIGHT - BOTTOM, x1, HEIGHT - BOTTOM);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    centre(g, label, -(TOP + (HEIGHT - TOP - BOTTOM) / 2), 22);
    g.setTransform(saved);
  }

  private static void drawBars(Graphics2D g, List<String> xs, List<double[]> rows, int n, Axis y) {
    int plotWidth = WIDTH - LEFT - RIGHT;
    double groupWidth = plotWidth / (double) xs.size();
    double barWidth = groupWidth * 0.8 / n;
    int base = HEIGHT - BOTTOM;
    for (int i = 0; i < xs.size(); i++) {
      double gx = LEFT + i * groupWidth + groupWidth * 0.1;
      for (int s = 0; s < n; s++) {
        double v = rows.get(i)[s];
        if (Double.isNaN(v) || (y.log() && v <= 0)) {
          continue;
        }
        int top = Math.min(base, y.pixel(Math.max(v, y.min())));
        g.setColor(PALETTE[s % PALETTE.length]);
        g.fillRect((int) (gx + s * barWidth), top, Math.max(1, (int) barWidth - 1), base - top);
      }
      g.setColor(Color.BLACK);
      centre(g, xs.get(i), (int) (LEFT + (i + 0.5) * groupWidth), base + 20);
    }
  }

  private static void drawLines(Graphics2D g, List<String> xs, List<double[]> rows, int n, Axis y,
      boolean logX) {
    double[] x = xs.stream().mapToDouble(Double::parseDouble).toArray();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      lo = Math.min(lo, logX ? Math.log10(v) : v);
      hi = Math.max(hi, logX ? Math.log10(v) : v);
    }
    double span = hi > lo ? hi - lo : 1;
    int plotWidth = WIDTH - LEFT - RIGHT - 40;
    int[] px = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      double f = ((logX ? Math.log10(x[i]) : x[i]) - lo) / span;
      px[i] = (int) Math.round(LEFT + 20 + f * plotWidth);
      g.setColor(Color.BLACK);
      centre(g, xs.get(i), px[i], HEIGHT - BOTTOM + 20);
    }
    g.setStroke(new BasicStroke(2.2f));
    for (int s = 0; s < n; s++) {
      g.setColor(PALETTE[s % PALETTE.length]);
      int prevX = -1;
      int prevY = -1;
      for (int i = 0; i < x.length; i++) {
        double v = rows.get(i)[s];
        if (Double.isNaN(v) || (y.log() && v <= 0)) {
          prevX = -1;
          continue;
        }
        int py = y.pixel(v);
        g.fillOval(px[i] - 4, py - 4, 8, 8);
        if (prevX >= 0) {
          g.drawLine(prevX, prevY, px[i], py);
        }
        prevX = px[i];
        prevY = py;
      }
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void drawLegend(Graphics2D g, List<String> series) {
    int x = WIDTH - RIGHT + 20;
    int y = TOP + 10;
    for (int s = 0; s < series.size(); s++) {
      g.setColor(PALETTE[s % PALETTE.length]);
      g.fillRect(x, y + s * 22, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(series.get(s), x + 22, y + s * 22 + 12);
    }
  }

  private static void centre(Graphics2D g, String s, int x, int y) {
    FontMetrics m = g.getFontMetrics();
    g.drawString(s, x - m.stringWidth(s) / 2, y);
  }

  private static String format(double v) {
    if (v >= 1e6) {
      return trim(v / 1e6) + "M";
    }
    if (v >= 1e3) {
      return trim(v / 1e3) + "k";
    }
    return trim(v);
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  private static String require(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }
}
