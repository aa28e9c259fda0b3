package dev.larder.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a run's hit ratios as a PNG with Java2D: one panel per trace in a 2x2 grid, cache size on
 * a logarithmic x axis, hit ratio in percent on the y axis, one line per column plus the README's
 * OPT (Belady) line as a dashed upper bound, and one legend below the panels. The first column is
 * drawn wide and pale as the baseline; the y axis reaches at most 15 points below it, and a
 * column that falls further is clipped and named in its panel. Needs no display:
 * the caller runs with {@code java.awt.headless=true}. Stateless.
 */
final class Plot {
  static final int WIDTH = 1400;
  static final int HEIGHT = 1000;

  private static final Color[] COLORS = {
    new Color(80, 80, 80), new Color(230, 120, 20), new Color(31, 100, 200), new Color(40, 160, 70),
    new Color(150, 70, 180), new Color(170, 110, 40), new Color(200, 40, 60)
  };
  // The first column (exact LRU) is drawn wide and pale underneath the others, so that a column
  // that coincides with it (Larder LRU) stays visible on top instead of hiding it.
  private static final Color BASE_COLOR = new Color(120, 120, 120, 120);
  private static final Stroke BASE_STROKE = new BasicStroke(7f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  private static final Color OPT_COLOR = new Color(150, 150, 150);
  private static final List<String> STYLE_ORDER = List.of("lru", "caffeine", "larder_s3_fifo",
      "larder_least_recently_used", "larder_least_recently_stored", "larder_least_frequently_used");
  private static final double BELOW_BASELINE = 15;
  private static final Color GRID = new Color(225, 225, 225);
  private static final String FONT = Font.SANS_SERIF;

  private Plot() {}

  /** One line of a panel: a label, a style index and a y value per x. */
  private record Series(String label, int style, boolean dashed, double[] y) {}

  /** Writes the plot of {@code results} to {@code png}, creating its directory if needed. */
  static void write(Results results, Path png) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(FONT, Font.BOLD, 24));
      centered(g, "Hit ratio by cache size (cache2k traces)", WIDTH / 2.0, 38);

      Map<String, List<Results.Row>> byTrace = new LinkedHashMap<>();
      for (Results.Row r : results.rows) {
        byTrace.computeIfAbsent(r.trace(), t -> new ArrayList<>()).add(r);
      }
      int legendHeight = legend(g, results, false, 0);
      double top = 60;
      double bottom = HEIGHT - legendHeight - 10;
      double panelW = WIDTH / 2.0;
      double panelH = (bottom - top) / 2;
      int i = 0;
      for (Map.Entry<String, List<Results.Row>> e : byTrace.entrySet()) {
        if (i == 4) {
          break;
        }
        panel(g, results, e.getKey(), e.getValue(),
            new Rectangle2D.Double((i % 2) * panelW, top + (i / 2) * panelH, panelW, panelH));
        i++;
      }
      legend(g, results, true, HEIGHT - legendHeight);
    } finally {
      g.dispose();
    }
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }

  private static void panel(Graphics2D g, Results results, String trace, List<Results.Row> rows, Rectangle2D box) {
    int n = rows.size();
    double[] x = new double[n];
    List<Series> series = new ArrayList<>();
    for (int c = 0; c < results.columns.size(); c++) {
      double[] y = new double[n];
      for (int k = 0; k < n; k++) {
        y[k] = rows.get(k).percent(c);
      }
      series.add(new Series(results.columns.get(c).label(), style(results.columns.get(c)), false, y));
    }
    double[] opt = new double[n];
    boolean haveOpt = true;
    for (int k = 0; k < n; k++) {
      x[k] = rows.get(k).size();
      Reference.Row ref = Reference.row(trace, rows.get(k).size());
      haveOpt &= ref != null;
      opt[k] = ref == null ? Double.NaN : ref.opt() / 100.0;
    }
    if (haveOpt) {
      series.add(new Series("OPT (Belady, README)", -1, true, opt));
    }

    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double v : s.y()) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    // The axis starts at most BELOW_BASELINE points under the baseline (the first column, exact
    // LRU), so that one far worse column does not squash the others into a strip; it is drawn
    // clipped and named in the panel. Rejected: a log or broken axis, harder to read for ratios.
    double baselineMin = Double.POSITIVE_INFINITY;
    for (double v : series.get(0).y()) {
      baselineMin = Math.min(baselineMin, v);
    }
    List<String> clipped = new ArrayList<>();
    if (min < baselineMin - BELOW_BASELINE) {
      min = baselineMin - BELOW_BASELINE;
      for (Series s : series) {
        for (double v : s.y()) {
          if (v < min) {
            clipped.add(s.label());
            break;
          }
        }
      }
    }
    double step = max - min <= 12 ? 2 : max - min <= 30 ? 5 : 10;
    double lo = Math.floor(min / step) * step;
    double hi = Math.ceil(max / step) * step;
    if (hi - max < step * 0.15) {
      hi += step;
    }
    double logMin = Math.log(x[0]);
    double logMax = Math.log(x[n - 1]);
    double pad = n > 1 ? (logMax - logMin) * 0.06 : 0.5;
    double xLo = logMin - pad;
    double xHi = logMax + pad;

    double left = box.getX() + 80;
    double right = box.getMaxX() - 30;
    double top = box.getY() + 40;
    double bottom = box.getMaxY() - 62;

    g.setColor(Color.BLACK);
    g.setFont(new Font(FONT, Font.BOLD, 19));
    centered(g, trace + " (" + String.format(Locale.ROOT, "%,d", rows.get(0).requests()) + " requests)",
        (left + right) / 2, box.getY() + 26);

    g.setFont(new Font(FONT, Font.PLAIN, 15));
    g.setStroke(new BasicStroke(1f));
    for (double v = lo; v <= hi + 1e-9; v += step) {
      double py = bottom - (v - lo) / (hi - lo) * (bottom - top);
      g.setColor(GRID);
      g.draw(new Line2D.Double(left, py, right, py));
      g.setColor(Color.BLACK);
      String label = String.format(Locale.ROOT, "%.0f", v);
      FontMetrics fm = g.getFontMetrics();
      g.drawString(label, (float) (left - 8 - fm.stringWidth(label)), (float) (py + fm.getAscent() / 2.0 - 2));
    }
    for (double size : x) {
      double px = left + (Math.log(size) - xLo) / (xHi - xLo) * (right - left);
      g.setColor(GRID);
      g.draw(new Line2D.Double(px, top, px, bottom));
      g.setColor(Color.BLACK);
      centered(g, String.format(Locale.ROOT, "%,d", (long) size), px, bottom + 22);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.5f));
    g.draw(new Rectangle2D.Double(left, top, right - left, bottom - top));

    g.setFont(new Font(FONT, Font.PLAIN, 16));
    centered(g, "cache size (entries, log scale)", (left + right) / 2, bottom + 48);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    centered(g, "hit ratio (%)", -(top + bottom) / 2, box.getX() + 26);
    g.setTransform(saved);

    Shape savedClip = g.getClip();
    g.clip(new Rectangle2D.Double(left, top, right - left, bottom - top));
    for (Series s : series) {
      double[] px = new double[n];
      double[] py = new double[n];
      for (int k = 0; k < n; k++) {
        px[k] = left + (Math.log(x[k]) - xLo) / (xHi - xLo) * (right - left);
        py[k] = bottom - (s.y()[k] - lo) / (hi - lo) * (bottom - top);
      }
      boolean base = s.style() == 0;
      g.setColor(base ? BASE_COLOR : color(s.style()));
      g.setStroke(base ? BASE_STROKE : stroke(s.dashed()));
      Path2D line = new Path2D.Double();
      line.moveTo(px[0], py[0]);
      for (int k = 1; k < n; k++) {
        line.lineTo(px[k], py[k]);
      }
      g.draw(line);
      if (!s.dashed()) {
        for (int k = 0; k < n; k++) {
          g.fill(base ? new Ellipse2D.Double(px[k] - 8, py[k] - 8, 16, 16) : marker(s.style(), px[k], py[k]));
        }
      }
    }
    g.setClip(savedClip);
    if (!clipped.isEmpty()) {
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(FONT, Font.ITALIC, 15));
      g.drawString("below the axis, see the table: " + String.join(", ", clipped), (float) left + 10,
          (float) bottom - 10);
    }
  }

  /** Draws the legend at {@code y} if {@code draw}; returns the height it needs. */
  private static int legend(Graphics2D g, Results results, boolean draw, int y) {
    List<Series> items = new ArrayList<>();
    for (int c = 0; c < results.columns.size(); c++) {
      items.add(new Series(results.columns.get(c).label(), style(results.columns.get(c)), false, null));
    }
    items.add(new Series("OPT (Belady, README)", -1, true, null));
    g.setFont(new Font(FONT, Font.PLAIN, 17));
    FontMetrics fm = g.getFontMetrics();
    int lineHeight = 30;
    int rowsNeeded = 1;
    double widthUsed = 0;
    List<double[]> places = new ArrayList<>();
    for (Series s : items) {
      double w = 50 + fm.stringWidth(s.label()) + 30;
      if (widthUsed + w > WIDTH - 80) {
        rowsNeeded++;
        widthUsed = 0;
      }
      places.add(new double[] {widthUsed, rowsNeeded - 1, w});
      widthUsed += w;
    }
    int height = rowsNeeded * lineHeight + 20;
    if (!draw) {
      return height;
    }
    double[] rowWidth = new double[rowsNeeded];
    for (double[] p : places) {
      rowWidth[(int) p[1]] = Math.max(rowWidth[(int) p[1]], p[0] + p[2]);
    }
    for (int k = 0; k < items.size(); k++) {
      Series s = items.get(k);
      double[] p = places.get(k);
      double x0 = (WIDTH - rowWidth[(int) p[1]]) / 2 + p[0];
      double cy = y + 15 + p[1] * lineHeight;
      boolean base = s.style() == 0;
      g.setColor(base ? BASE_COLOR : color(s.style()));
      g.setStroke(base ? BASE_STROKE : stroke(s.dashed()));
      g.draw(new Line2D.Double(x0, cy, x0 + 40, cy));
      if (!s.dashed()) {
        g.fill(base ? new Ellipse2D.Double(x0 + 12, cy - 8, 16, 16) : marker(s.style(), x0 + 20, cy));
      }
      g.setColor(Color.BLACK);
      g.drawString(s.label(), (float) (x0 + 48), (float) (cy + fm.getAscent() / 2.0 - 3));
    }
    return height;
  }

  /** A column's colour and marker, the same whichever columns were run. */
  private static int style(Column column) {
    int k = STYLE_ORDER.indexOf(column.id());
    return k >= 0 ? k : STYLE_ORDER.size();
  }

  private static Color color(int style) {
    return style < 0 ? OPT_COLOR : COLORS[style % COLORS.length];
  }

  private static Stroke stroke(boolean dashed) {
    return dashed
        ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {9f, 6f}, 0f)
        : new BasicStroke(2.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  /** A filled marker centred on (x, y), a different shape per style. */
  private static Shape marker(int style, double x, double y) {
    double r = 5.5;
    switch (Math.floorMod(style, 6)) {
      case 0:
        return new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
      case 1:
        return new Rectangle2D.Double(x - r, y - r, 2 * r, 2 * r);
      case 2:
        return polygon(x, y, r * 1.25, 3, -Math.PI / 2);
      case 3:
        return polygon(x, y, r * 1.3, 4, 0);
      case 4:
        return polygon(x, y, r * 1.25, 3, Math.PI / 2);
      default:
        return polygon(x, y, r * 1.2, 5, -Math.PI / 2);
    }
  }

  private static Shape polygon(double x, double y, double r, int corners, double start) {
    Path2D p = new Path2D.Double();
    for (int k = 0; k < corners; k++) {
      double a = start + 2 * Math.PI * k / corners;
      if (k == 0) {
        p.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
      } else {
        p.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
      }
    }
    p.closePath();
    return p;
  }

  private static void centered(Graphics2D g, String text, double cx, double baseline) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(text, (float) (cx - fm.stringWidth(text) / 2.0), (float) baseline);
  }
}
