package dev.promptlab.reward.bench;

import dev.promptlab.reward.features.FeatureVector;
import dev.promptlab.reward.model.RatedVariant;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's rated variants with, for each, the hidden function's value ({@code truths}) and the rating its
 * trainer gives it on average ({@code expected}: the hidden function plus the trainer's bias, within 1-5, without
 * the Likert noise and the rounding to whole stars), saved once so the model can be compared on the same
 * data without rendering and extracting again (minutes) — a cache under {@code target/}, never an input.
 */
record BenchmarkData(List<RatedVariant> rows, List<Double> truths, List<Double> expected) {

  void save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        RatedVariant r = rows.get(i);
        out.writeLong(r.ratingId());
        out.writeLong(r.experimentId());
        out.writeLong(r.raterId());
        writeVector(out, r.variant());
        writeVector(out, r.original());
        writeVector(out, r.structure());
        out.writeUTF(r.api());
        writeArray(out, r.parameters());
        float[] embedding = r.embedding();
        out.writeInt(embedding == null ? -1 : embedding.length);
        for (float e : embedding == null ? new float[0] : embedding) {
          out.writeFloat(e);
        }
        out.writeDouble(r.rating());
        out.writeDouble(truths.get(i));
        out.writeDouble(expected.get(i));
      }
    }
  }

  static BenchmarkData load(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      int n = in.readInt();
      List<RatedVariant> rows = new ArrayList<>(n);
      List<Double> truths = new ArrayList<>(n);
      List<Double> expected = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long id = in.readLong();
        long experiment = in.readLong();
        long rater = in.readLong();
        FeatureVector variant = readVector(in);
        FeatureVector original = readVector(in);
        FeatureVector structure = readVector(in);
        String api = in.readUTF();
        double[] parameters = readArray(in);
        int length = in.readInt();
        float[] embedding = length < 0 ? null : new float[length];
        for (int e = 0; e < length; e++) {
          embedding[e] = in.readFloat();
        }
        double rating = in.readDouble();
        rows.add(new RatedVariant(id, experiment, rater, variant, original, structure, api, null, parameters,
          embedding, rating));
        truths.add(in.readDouble());
        expected.add(in.readDouble());
      }
      return new BenchmarkData(rows, truths, expected);
    }
  }

  private static void writeVector(DataOutputStream out, FeatureVector v) throws IOException {
    out.writeInt(v.extractorVersion());
    out.writeInt(v.size());
    for (String name : v.names()) {
      out.writeUTF(name);
    }
    writeArray(out, v.values());
  }

  private static FeatureVector readVector(DataInputStream in) throws IOException {
    int version = in.readInt();
    int size = in.readInt();
    List<String> names = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      names.add(in.readUTF());
    }
    return new FeatureVector(version, names, readArray(in));
  }

  private static void writeArray(DataOutputStream out, double[] values) throws IOException {
    out.writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
  }

  private static double[] readArray(DataInputStream in) throws IOException {
    double[] values = new double[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }
}
