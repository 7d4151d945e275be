package dev.promptlab.reward.model;

import dev.promptlab.reward.features.FeatureVector;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a rated variant into the model's input row: the variant's features, their change from the original, the
 * structure kept, one indicator per API and per trainer seen in training (a variant for no trainer in particular
 * gets the training share of each trainer, which standardises to 0: the average trainer) and the generation
 * parameters — each column standardised
 * on the training rows and clipped to ±{@link #CLIP} standard deviations — then every column again squared, so
 * the linear model can bend (a rating that falls off on both sides of a good exposure, say).
 */
public final class ModelInputs {

  static final double CLIP = 5.0;

  private final List<String> apis;
  private final List<Long> raters;
  private final double[] mean;
  private final double[] sd;

  private ModelInputs(List<String> apis, List<Long> raters, double[] mean, double[] sd) {
    this.apis = List.copyOf(apis);
    this.raters = List.copyOf(raters);
    this.mean = mean;
    this.sd = sd;
  }

  /** Scales fitted on {@code rows}; the APIs are the ones they name, in the order first seen. */
  public static ModelInputs fit(List<RatedVariant> rows) {
    List<String> apis = new ArrayList<>();
    List<Long> raters = new ArrayList<>();
    for (RatedVariant row : rows) {
      if (!apis.contains(row.api())) {
        apis.add(row.api());
      }
      if (row.raterId() != 0 && !raters.contains(row.raterId())) {
        raters.add(row.raterId());
      }
    }
    ModelInputs raw = new ModelInputs(apis, raters, null, null);
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
    return new ModelInputs(apis, raters, mean, sd);
  }

  /** Restores scales saved with a model. */
  public static ModelInputs of(List<String> apis, List<Long> raters, double[] mean, double[] sd) {
    return new ModelInputs(apis, raters, mean.clone(), sd.clone());
  }

  public List<String> apis() {
    return apis;
  }

  public List<Long> raters() {
    return raters;
  }

  public double[] mean() {
    return mean.clone();
  }

  public double[] sd() {
    return sd.clone();
  }

  /** The standardised row with its squares; a constant column (sd 0) contributes zeros. */
  public double[] row(RatedVariant variant) {
    double[] raw = rawRow(variant);
    if (raw.length != mean.length) {
      throw new IllegalArgumentException("the variant has " + raw.length + " inputs, the model " + mean.length);
    }
    double[] out = new double[raw.length * 2];
    for (int j = 0; j < raw.length; j++) {
      double z = sd[j] < 1e-12 ? 0 : Math.max(-CLIP, Math.min(CLIP, (raw[j] - mean[j]) / sd[j]));
      out[j] = z;
      out[raw.length + j] = z * z - 1;
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
    double[] a = variant.values();
    double[] b = original.values();
    double[] structure = v.structure().values();
    double[] parameters = v.parameters();
    double[] row = new double[a.length * 2 + structure.length + apis.size() + raters.size() + parameters.length];
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
    boolean knownRater = raters.contains(v.raterId());
    for (int r = 0; r < raters.size(); r++) {
      // The training share (the column's mean) for a variant rated by nobody known: the average trainer.
      int column = k++;
      row[column] = knownRater ? (raters.get(r) == v.raterId() ? 1 : 0) : mean == null ? 0 : mean[column];
    }
    for (double p : parameters) {
      row[k++] = p;
    }
    return row;
  }
}
