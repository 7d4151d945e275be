package dev.promptlab.reward.features;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named feature values in a fixed order, tagged with the version of the extractor that computed them: values of
 * two versions are never mixed in one model.
 */
public record FeatureVector(int extractorVersion, List<String> names, double[] values) {

  public FeatureVector {
    if (names.size() != values.length) {
      throw new IllegalArgumentException(names.size() + " names for " + values.length + " values");
    }
    names = List.copyOf(names);
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  public int size() {
    return values.length;
  }

  /** The value of one feature; throws when the name is not one of them. */
  public double get(String name) {
    int index = names.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("no feature named " + name);
    }
    return values[index];
  }

  public Map<String, Double> asMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      map.put(names.get(i), values[i]);
    }
    return Collections.unmodifiableMap(map);
  }

  /** Builds a vector one named value at a time, in the order they are added. */
  static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();

    Builder put(String name, double value) {
      if (!Double.isFinite(value)) {
        throw new IllegalStateException("feature " + name + " is not finite: " + value);
      }
      names.add(name);
      values.add(value);
      return this;
    }

    Builder putAll(String prefix, double[] values) {
      for (int i = 0; i < values.length; i++) {
        put(prefix + "_" + i, values[i]);
      }
      return this;
    }

    FeatureVector build(int version) {
      double[] array = new double[values.size()];
      for (int i = 0; i < array.length; i++) {
        array[i] = values.get(i);
      }
      return new FeatureVector(version, names, array);
    }
  }
}
