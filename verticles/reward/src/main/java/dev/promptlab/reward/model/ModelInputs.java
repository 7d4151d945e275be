package dev.promptlab.reward.model;

import dev.promptlab.reward.features.FeatureVector;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a rated variant into the model's input row: the variant's features, their change from the original, the
 * structure kept, one indicator per API, per prompt version and per trainer seen in training, the generation
 * parameters and, when the model was fitted with one, the variant's learned embedding. Every column is
 * standardised on the training rows and clipped to ±{@link #CLIP} standard deviations; the columns before the
 * embedding are then added again squared, so the linear model can bend (a rating that falls off on both sides of
 * a good exposure, say) — the embedding's many columns enter linearly only.
 *
 * <p>A variant of a prompt version, or for a trainer, not seen in training gets the training share of each
 * (the column's mean), which standardises to 0: the average version or trainer. A model is fitted with the
 * embedding only when every training row has one of the same length.
 */
public final class ModelInputs {

  static final double CLIP = 5.0;

  private final List<String> apis;
  private final List<String> promptVersions;
  private final List<Long> raters;
  private final int embeddingLength;
  private final double[] mean;
  private final double[] sd;

  private ModelInputs(List<String> apis, List<String> promptVersions, List<Long> raters, int embeddingLength,
                      double[] mean, double[] sd) {
    this.apis = List.copyOf(apis);
    this.promptVersions = List.copyOf(promptVersions);
    this.raters = List.copyOf(raters);
    this.embeddingLength = embeddingLength;
    this.mean = mean;
    this.sd = sd;
  }

  /** Scales fitted on {@code rows}; APIs, versions and trainers in the order first seen. */
  public static ModelInputs fit(List<RatedVariant> rows) {
    List<String> apis = new ArrayList<>();
    List<String> versions = new ArrayList<>();
    List<Long> raters = new ArrayList<>();
    for (RatedVariant row : rows) {
      if (!apis.contains(row.api())) {
        apis.add(row.api());
      }
      if (row.promptVersion() != null && !versions.contains(row.promptVersion())) {
        versions.add(row.promptVersion());
      }
      if (row.raterId() != 0 && !raters.contains(row.raterId())) {
        raters.add(row.raterId());
      }
    }
    float[] first = rows.get(0).embedding();
    int length = first == null ? 0 : first.length;
    for (RatedVariant row : rows) {
      float[] embedding = row.embedding();
      if (embedding == null || embedding.length != length) {
        length = 0;
        break;
      }
    }
    ModelInputs raw = new ModelInputs(apis, versions, raters, length, null, null);
    double[][] columns = rows.stream().map(raw::rawRow).toArray(double[][]::new);
    int d = columns[0].length;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (double[] row : columns) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / columns.length;
      }
    }
    for (double[] row : columns) {
      for (int j = 0; j < d; j++) {
        sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / columns.length;
      }
    }
    for (int j = 0; j < d; j++) {
      sd[j] = Math.sqrt(sd[j]);
    }
    return new ModelInputs(apis, versions, raters, length, mean, sd);
  }

  /** Restores scales saved with a model. */
  public static ModelInputs of(List<String> apis, List<String> promptVersions, List<Long> raters,
                               int embeddingLength, double[] mean, double[] sd) {
    if (embeddingLength < 0 || embeddingLength > mean.length || mean.length != sd.length) {
      throw new IllegalArgumentException("the input scales do not fit together");
    }
    return new ModelInputs(apis, promptVersions, raters, embeddingLength, mean.clone(), sd.clone());
  }

  public List<String> apis() {
    return apis;
  }

  public List<String> promptVersions() {
    return promptVersions;
  }

  public List<Long> raters() {
    return raters;
  }

  /** Length of the learned embedding the model reads; 0 when it reads none. */
  public int embeddingLength() {
    return embeddingLength;
  }

  public double[] mean() {
    return mean.clone();
  }

  public double[] sd() {
    return sd.clone();
  }

  /**
   * The standardised row: every column, then the squares of those before the embedding; a constant column (sd 0)
   * contributes zeros. A model that reads an embedding refuses a variant without one.
   */
  public double[] row(RatedVariant variant) {
    double[] raw = rawRow(variant);
    if (raw.length != mean.length) {
      throw new IllegalArgumentException("the variant has " + raw.length + " inputs, the model " + mean.length);
    }
    int squared = raw.length - embeddingLength;
    double[] out = new double[raw.length + squared];
    for (int j = 0; j < raw.length; j++) {
      double z = sd[j] < 1e-12 ? 0 : Math.max(-CLIP, Math.min(CLIP, (raw[j] - mean[j]) / sd[j]));
      out[j] = z;
      if (j < squared) {
        out[raw.length + j] = z * z - 1;
      }
    }
    return out;
  }

  private double[] rawRow(RatedVariant v) {
    FeatureVector variant = v.variant();
    FeatureVector original = v.original();
    if (variant.extractorVersion() != original.extractorVersion()
      || variant.extractorVersion() != v.structure().extractorVersion()) {
      throw new IllegalArgumentException("features of different extractor versions");
    }
    float[] embedding = embeddingLength == 0 ? new float[0] : v.embedding();
    if (embedding == null || embedding.length != embeddingLength) {
      throw new IllegalArgumentException("the model reads a learned embedding of " + embeddingLength
        + " values; the variant has " + (embedding == null ? "none" : embedding.length));
    }
    double[] a = variant.values();
    double[] b = original.values();
    double[] structure = v.structure().values();
    double[] parameters = v.parameters();
    double[] row = new double[a.length * 2 + structure.length + apis.size() + promptVersions.size() + raters.size()
      + parameters.length + embeddingLength];
    int k = 0;
    for (int i = 0; i < a.length; i++) {
      row[k++] = a[i];
    }
    for (int i = 0; i < a.length; i++) {
      row[k++] = a[i] - b[i];
    }
    for (double s : structure) {
      row[k++] = s;
    }
    for (String api : apis) {
      row[k++] = api.equals(v.api()) ? 1 : 0;
    }
    k = indicators(row, k, promptVersions, v.promptVersion());
    k = indicators(row, k, raters, v.raterId() == 0 ? null : v.raterId());
    for (double p : parameters) {
      row[k++] = p;
    }
    for (float e : embedding) {
      row[k++] = e;
    }
    return row;
  }

  /**
   * One column per known value, 1 for the row's; a value not seen in training (or none) gets each column's
   * training mean — before the scales exist, 0.
   */
  private <T> int indicators(double[] row, int k, List<T> known, T value) {
    boolean seen = value != null && known.contains(value);
    for (T candidate : known) {
      int column = k++;
      row[column] = seen ? (candidate.equals(value) ? 1 : 0) : mean == null ? 0 : mean[column];
    }
    return k;
  }
}
