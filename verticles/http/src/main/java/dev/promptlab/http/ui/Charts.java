package dev.promptlab.http.ui;

import dev.promptlab.contract.CalibrationBin;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.http.training.RatedSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Geometry of the SVG charts (the history's, the reward model's, a text-prompt run's), computed here and drawn by the
 * template (so every label still goes through the escaping template engine). All charts share one plot frame;
 * ratings run from 1 (bottom) to 5 (top), a run's metric from 0 to 1. Pure: no Vert.x, no I/O.
 */
public final class Charts {

  public static final int WIDTH = 480;
  public static final int HEIGHT = 240;
  static final int LEFT = 44;
  static final int RIGHT = 26;
  static final int TOP = 12;
  static final int BOTTOM = 36;

  /** A dot; {@code kind} becomes a CSS class (the API), {@code label} its tooltip. */
  public record Dot(double x, double y, String kind, String label) {
  }

  /** An axis tick at {@code pos} (x or y, in SVG units). */
  public record Tick(double pos, String label) {
  }

  /**
   * A bar from the baseline up to {@code y}; its label sits inside the bar when the bar is tall
   * enough ({@code labelInside}), above it otherwise, so it never leaves the frame.
   */
  public record Bar(double x, double y, double width, double height, String kind, String label) {

    public boolean labelInside() {
      return height >= 24;
    }

    public double labelY() {
      return labelInside() ? y + 16 : y - 6;
    }
  }

  /**
   * One chart: dots, an optional line ({@code points} attribute of a polyline; {@code lineKind} its CSS class: a
   * {@code trend} of the data or a {@code reference} to read the data against), an optional second line that is
   * always a {@code reference} (a target drawn under a trend), bars and the axes.
   */
  public record Chart(List<Dot> dots, String line, String lineKind, String reference, List<Bar> bars,
                      List<Tick> xTicks, List<Tick> yTicks, boolean empty) {

    public int width() {
      return WIDTH;
    }

    public int height() {
      return HEIGHT;
    }

    public int left() {
      return LEFT;
    }

    public int right() {
      return WIDTH - RIGHT;
    }

    public int top() {
      return TOP;
    }

    public int bottom() {
      return HEIGHT - BOTTOM;
    }
  }

  private Charts() {
  }

  /** Every rating in order (dots) and the moving average of the last {@code window} (line). */
  public static Chart trend(List<RatedSample> samples, int window) {
    int n = samples.size();
    List<Dot> dots = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      RatedSample s = samples.get(i);
      double x = n == 1 ? (LEFT + WIDTH - RIGHT) / 2.0 : LEFT + (double) i / (n - 1) * plotWidth();
      dots.add(new Dot(round(x), ratingY(s.rating()), s.parameters().api(), "#" + (i + 1) + ": " + s.rating()));
      sum += s.rating();
      if (i >= window) {
        sum -= samples.get(i - window).rating();
      }
      double average = sum / Math.min(i + 1, window);
      line.append(line.length() == 0 ? "" : " ").append(round(x)).append(',').append(ratingY(average));
    }
    List<Tick> xTicks = new ArrayList<>();
    if (n > 0) {
      int step = Math.max(1, (int) Math.ceil(n / 8.0));
      for (int i = 0; i < n; i += step) {
        xTicks.add(new Tick(n == 1 ? (LEFT + WIDTH - RIGHT) / 2.0 : round(LEFT + (double) i / (n - 1) * plotWidth()),
          String.valueOf(i + 1)));
      }
    }
    return new Chart(dots, line.toString(), "trend", "", List.of(), xTicks, ratingTicks(), n == 0);
  }

  /** Average rating of each image API, with the sample count in the label; numbers written as {@code locale} does. */
  public static Chart perApi(Map<String, Double> averages, Map<String, Integer> counts, Locale locale) {
    List<Bar> bars = new ArrayList<>();
    List<Tick> xTicks = new ArrayList<>();
    int slots = ParameterSpace.APIS.size();
    double slot = plotWidth() / slots;
    for (int i = 0; i < slots; i++) {
      String api = ParameterSpace.APIS.get(i);
      double center = LEFT + slot * (i + 0.5);
      Double average = averages.get(api);
      if (average != null) {
        double top = ratingY(average);
        bars.add(new Bar(round(center - slot * 0.3), top, round(slot * 0.6), round(HEIGHT - BOTTOM - top), api,
          String.format(locale, "%.2f (n=%d)", average, counts.getOrDefault(api, 0))));
      }
      xTicks.add(new Tick(round(center), apiName(api)));
    }
    return new Chart(List.of(), "", "", "", bars, xTicks, ratingTicks(), bars.isEmpty());
  }

  /**
   * Rating against one parameter (its full range on the x axis), one dot per sample, coloured by API; numbers
   * written as {@code locale} does.
   */
  public static Chart against(List<RatedSample> samples, ToDoubleFunction<GenerationParameters> parameter, double min,
                              double max, Locale locale) {
    List<Dot> dots = new ArrayList<>();
    for (RatedSample s : samples) {
      double value = parameter.applyAsDouble(s.parameters());
      double x = LEFT + (value - min) / (max - min) * plotWidth();
      dots.add(new Dot(round(x), ratingY(s.rating()), s.parameters().api(),
        String.format(locale, "%.3f → %d", value, s.rating())));
    }
    List<Tick> xTicks = new ArrayList<>();
    for (int i = 0; i <= 4; i++) {
      double value = min + (max - min) * i / 4;
      xTicks.add(new Tick(round(LEFT + plotWidth() * i / 4), String.format(locale, "%.2f", value)));
    }
    return new Chart(dots, "", "", "", List.of(), xTicks, ratingTicks(), dots.isEmpty());
  }

  /**
   * A reward model's calibration on its held-out ratings: one dot per bin at (mean prediction, mean rating), the
   * diagonal a calibrated model's dots lie on as the line, both axes ratings 1–5; numbers written as {@code locale}
   * does.
   */
  public static Chart calibration(List<CalibrationBin> bins, Locale locale) {
    List<Dot> dots = new ArrayList<>();
    for (CalibrationBin bin : bins) {
      dots.add(new Dot(ratingX(bin.meanPredicted()), ratingY(bin.meanObserved()), "calibration",
        String.format(locale, "%.2f → %.2f (n=%d)", bin.meanPredicted(), bin.meanObserved(), bin.count())));
    }
    List<Tick> xTicks = new ArrayList<>();
    for (int r = 1; r <= 5; r++) {
      xTicks.add(new Tick(ratingX(r), String.valueOf(r)));
    }
    String diagonal = ratingX(1) + "," + ratingY(1) + " " + ratingX(5) + "," + ratingY(5);
    return new Chart(dots, diagonal, "reference", "", List.of(), xTicks, ratingTicks(), dots.isEmpty());
  }

  /**
   * A text-prompt run's metric per iteration (0 at the bottom, 1 at the top): a dot per iteration joined by a line,
   * and the target threshold as a reference line across the plot; numbers written as {@code locale} does.
   *
   * @param values the metric of iterations 1, 2, ... (null where an iteration has no value for it)
   */
  public static Chart metricByIteration(List<Double> values, Double threshold, Locale locale) {
    int n = values.size();
    List<Dot> dots = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    List<Tick> xTicks = new ArrayList<>();
    int step = Math.max(1, (int) Math.ceil(n / 10.0));
    for (int i = 0; i < n; i++) {
      double x = iterationX(i, n);
      if (i % step == 0) {
        xTicks.add(new Tick(x, String.valueOf(i + 1)));
      }
      Double value = values.get(i);
      if (value == null) {
        continue;
      }
      double y = fractionY(value);
      dots.add(new Dot(x, y, "metric", String.format(locale, "%d: %.3f", i + 1, value)));
      line.append(line.length() == 0 ? "" : " ").append(x).append(',').append(y);
    }
    String reference = threshold == null ? ""
      : LEFT + "," + fractionY(threshold) + " " + (WIDTH - RIGHT) + "," + fractionY(threshold);
    List<Tick> yTicks = new ArrayList<>();
    for (int i = 0; i <= 4; i++) {
      yTicks.add(new Tick(fractionY(i / 4.0), String.format(locale, "%.2f", i / 4.0)));
    }
    return new Chart(dots, line.toString(), "trend", reference, List.of(), xTicks, yTicks, dots.isEmpty());
  }

  private static double iterationX(int index, int count) {
    return count == 1 ? round((LEFT + WIDTH - RIGHT) / 2.0) : round(LEFT + (double) index / (count - 1) * plotWidth());
  }

  /** A value in [0, 1] on the y axis; outside it held at the edge. */
  static double fractionY(double value) {
    return round(TOP + (1 - Math.max(0, Math.min(1, value))) * (HEIGHT - TOP - BOTTOM));
  }

  /** The image APIs by their product names. */
  static String apiName(String api) {
    return switch (api) {
      case "leonardo" -> "Leonardo";
      case "stablediffusion" -> "Stable Diffusion";
      default -> api;
    };
  }

  private static List<Tick> ratingTicks() {
    List<Tick> ticks = new ArrayList<>();
    for (int r = 1; r <= 5; r++) {
      ticks.add(new Tick(ratingY(r), String.valueOf(r)));
    }
    return ticks;
  }

  /** A rating's x position, 1 at the left edge of the plot and 5 at the right; outside 1–5 held at the edge. */
  static double ratingX(double rating) {
    return round(LEFT + (Math.max(1, Math.min(5, rating)) - 1) / 4 * plotWidth());
  }

  static double ratingY(double rating) {
    return round(TOP + (5 - rating) / 4 * (HEIGHT - TOP - BOTTOM));
  }

  private static double plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
