package dev.promptlab.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4, and the OpenMetrics 1.0 text
 * variant): parsing fails with an {@link AssertionError} naming the line on anything a Prometheus
 * server would reject or that breaks the format's rules (a sample without a TYPE, an invalid name or
 * label, an unparsable value, a repeated series, a family split in two, histogram buckets that are not
 * cumulative or disagree with {@code _count}).
 */
final class PrometheusText {

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {
  }

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES =
    Set.of("counter", "gauge", "histogram", "summary", "untyped", "unknown", "info", "stateset", "gaugehistogram");

  private final Map<String, String> types = new LinkedHashMap<>();
  private final Map<String, String> help = new HashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private PrometheusText() {
  }

  static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    parsed.read(text);
    parsed.checkHistograms();
    return parsed;
  }

  /** The value of the series {@code name} with exactly these labels ({@code "k1", "v1", "k2", "v2"...}). */
  double value(String name, String... labels) {
    return find(name, labels).orElseThrow(() -> new AssertionError("no series " + name + labelMap(labels)
      + "; series of that name: " + samples(name)));
  }

  Optional<Double> find(String name, String... labels) {
    Map<String, String> wanted = labelMap(labels);
    return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted))
      .map(Sample::value).findFirst();
  }

  List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The declared TYPE of a metric family, or null. */
  String type(String family) {
    return types.get(family);
  }

  String help(String family) {
    return help.get(family);
  }

  private static Map<String, String> labelMap(String... labels) {
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("labels come in name/value pairs");
    }
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return map;
  }

  private void read(String text) {
    String[] lines = text.split("\n", -1);
    Set<String> closedFamilies = new HashSet<>();
    Set<String> series = new HashSet<>();
    String currentFamily = null;
    boolean eof = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String where = "line " + (i + 1) + " '" + line + "': ";
      if (eof && !(line.isEmpty() && i == lines.length - 1)) {
        throw new AssertionError(where + "content after # EOF");
      }
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (line.equals("# EOF")) {
          eof = true;
        } else if (parts.length >= 3 && parts[1].equals("TYPE")) {
          String family = checkName(parts[2], where);
          String type = parts.length == 4 ? parts[3] : "";
          if (!TYPES.contains(type)) {
            throw new AssertionError(where + "unknown type " + type);
          }
          if (types.putIfAbsent(family, type) != null) {
            throw new AssertionError(where + "second TYPE for " + family);
          }
          currentFamily = switchFamily(currentFamily, family, closedFamilies, where);
        } else if (parts.length >= 3 && parts[1].equals("HELP")) {
          String family = checkName(parts[2], where);
          if (help.putIfAbsent(family, parts.length == 4 ? parts[3] : "") != null) {
            throw new AssertionError(where + "second HELP for " + family);
          }
          currentFamily = switchFamily(currentFamily, family, closedFamilies, where);
        }
        continue;
      }
      Sample sample = parseSample(line, where);
      String family = familyOf(sample.name(), where);
      currentFamily = switchFamily(currentFamily, family, closedFamilies, where);
      if (!series.add(sample.name() + sample.labels())) {
        throw new AssertionError(where + "repeated series");
      }
      samples.add(sample);
    }
  }

  private static String switchFamily(String current, String next, Set<String> closed, String where) {
    if (next.equals(current)) {
      return current;
    }
    if (!closed.add(next)) {
      throw new AssertionError(where + "family " + next + " appears in two places");
    }
    return next;
  }

  private static String checkName(String name, String where) {
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new AssertionError(where + "invalid metric name " + name);
    }
    return name;
  }

  /** The declared family a sample belongs to, checking that its suffix fits the family's type. */
  private String familyOf(String name, String where) {
    if (types.containsKey(name)) {
      String type = types.get(name);
      if (type.equals("histogram")) {
        throw new AssertionError(where + "a histogram sample needs _bucket, _count or _sum");
      }
      return name;
    }
    for (String suffix : List.of("_total", "_bucket", "_count", "_sum", "_created")) {
      if (name.endsWith(suffix)) {
        String family = name.substring(0, name.length() - suffix.length());
        String type = types.get(family);
        if (type == null) {
          continue;
        }
        boolean fits = switch (type) {
          case "counter" -> suffix.equals("_total") || suffix.equals("_created");
          case "histogram", "gaugehistogram" -> !suffix.equals("_total");
          case "summary" -> suffix.equals("_count") || suffix.equals("_sum") || suffix.equals("_created");
          default -> false;
        };
        if (!fits) {
          throw new AssertionError(where + "suffix " + suffix + " does not fit a " + type);
        }
        return family;
      }
    }
    throw new AssertionError(where + "sample without a TYPE line before it");
  }

  private static Sample parseSample(String line, String where) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = checkName(line.substring(0, i), where);
    Map<String, String> labels = new TreeMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        if (eq < 0) {
          throw new AssertionError(where + "label without '='");
        }
        String labelName = line.substring(i, eq);
        if (!LABEL_NAME.matcher(labelName).matches() || labelName.startsWith("__")) {
          throw new AssertionError(where + "invalid label name " + labelName);
        }
        if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
          throw new AssertionError(where + "label value must be quoted");
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (true) {
          if (j >= line.length()) {
            throw new AssertionError(where + "unterminated label value");
          }
          char c = line.charAt(j);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            char next = line.charAt(j + 1);
            switch (next) {
              case '\\' -> value.append('\\');
              case '"' -> value.append('"');
              case 'n' -> value.append('\n');
              default -> throw new AssertionError(where + "invalid escape \\" + next);
            }
            j += 2;
          } else {
            value.append(c);
            j++;
          }
        }
        if (labels.put(labelName, value.toString()) != null) {
          throw new AssertionError(where + "label " + labelName + " twice");
        }
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        } else if (line.charAt(i) != '}') {
          throw new AssertionError(where + "expected ',' or '}' after a label");
        }
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new AssertionError(where + "expected a space before the value");
    }
    String[] rest = line.substring(i + 1).split(" ");
    if (rest.length < 1 || rest.length > 2) {
      throw new AssertionError(where + "expected a value and an optional timestamp");
    }
    return new Sample(name, labels, parseValue(rest[0], where));
  }

  private static double parseValue(String text, String where) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          if (!text.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
            throw new NumberFormatException(text);
          }
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new AssertionError(where + "unparsable value " + text);
        }
    }
  }

  /** Per histogram series: buckets have {@code le}, grow with it, end at +Inf, and +Inf equals {@code _count}. */
  private void checkHistograms() {
    for (Map.Entry<String, String> family : types.entrySet()) {
      if (!family.getValue().equals("histogram")) {
        continue;
      }
      String name = family.getKey();
      Map<Map<String, String>, TreeMap<Double, Double>> bucketsBySeries = new HashMap<>();
      for (Sample s : samples(name + "_bucket")) {
        String le = s.labels().get("le");
        if (le == null) {
          throw new AssertionError(name + "_bucket without le: " + s);
        }
        Map<String, String> seriesLabels = new TreeMap<>(s.labels());
        seriesLabels.remove("le");
        bucketsBySeries.computeIfAbsent(seriesLabels, k -> new TreeMap<>())
          .put(parseValue(le, name + " le "), s.value());
      }
      for (Map.Entry<Map<String, String>, TreeMap<Double, Double>> series : bucketsBySeries.entrySet()) {
        double previous = 0;
        for (double count : series.getValue().values()) {
          if (count < previous) {
            throw new AssertionError(name + series.getKey() + ": buckets are not cumulative " + series.getValue());
          }
          previous = count;
        }
        Double inf = series.getValue().get(Double.POSITIVE_INFINITY);
        if (inf == null) {
          throw new AssertionError(name + series.getKey() + ": no +Inf bucket");
        }
        double count = samples.stream()
          .filter(s -> s.name().equals(name + "_count") && s.labels().equals(series.getKey()))
          .map(Sample::value).findFirst()
          .orElseThrow(() -> new AssertionError(name + series.getKey() + ": no _count"));
        if (count != inf) {
          throw new AssertionError(name + series.getKey() + ": +Inf bucket " + inf + " differs from _count " + count);
        }
      }
    }
  }
}
