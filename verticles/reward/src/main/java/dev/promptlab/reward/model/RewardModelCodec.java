package dev.promptlab.reward.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained model as bytes, for the {@code reward_models} table: the input scales (APIs, prompt versions, trainers,
 * the embedding's length, means, standard deviations) and the regression (intercept, centre, weights, precisions,
 * eigenbasis). {@link #FORMAT} is stored beside the bytes; a model of another format is retrained rather than read
 * (format 1 had no prompt versions and no embedding).
 */
public final class RewardModelCodec {

  public static final int FORMAT = 2;

  private RewardModelCodec() {
  }

  public static byte[] encode(RewardModel model) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      ModelInputs inputs = model.inputs();
      out.writeInt(inputs.apis().size());
      for (String api : inputs.apis()) {
        out.writeUTF(api);
      }
      out.writeInt(inputs.promptVersions().size());
      for (String version : inputs.promptVersions()) {
        out.writeUTF(version);
      }
      out.writeInt(inputs.raters().size());
      for (long rater : inputs.raters()) {
        out.writeLong(rater);
      }
      out.writeInt(inputs.embeddingLength());
      write(out, inputs.mean());
      write(out, inputs.sd());
      BayesianRidge r = model.regression();
      out.writeDouble(r.intercept());
      out.writeDouble(r.alpha());
      out.writeDouble(r.beta());
      write(out, r.centre());
      write(out, r.weights());
      write(out, r.eigenvalues());
      double[][] basis = r.basis();
      out.writeInt(basis.length);
      for (double[] row : basis) {
        write(out, row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads a model written by {@link #encode}; throws {@link IllegalArgumentException} on damaged bytes. */
  public static RewardModel decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      List<String> apis = new ArrayList<>();
      for (int i = count(in); i > 0; i--) {
        apis.add(in.readUTF());
      }
      List<String> versions = new ArrayList<>();
      for (int i = count(in); i > 0; i--) {
        versions.add(in.readUTF());
      }
      List<Long> raters = new ArrayList<>();
      for (int i = count(in); i > 0; i--) {
        raters.add(in.readLong());
      }
      int embeddingLength = count(in);
      ModelInputs inputs = ModelInputs.of(apis, versions, raters, embeddingLength, read(in), read(in));
      double intercept = in.readDouble();
      double alpha = in.readDouble();
      double beta = in.readDouble();
      double[] centre = read(in);
      double[] weights = read(in);
      double[] eigenvalues = read(in);
      double[][] basis = new double[count(in)][];
      for (int i = 0; i < basis.length; i++) {
        basis[i] = read(in);
      }
      if (in.available() != 0 || centre.length != weights.length || basis.length != eigenvalues.length) {
        throw new IllegalArgumentException("the model's bytes do not hold one model");
      }
      return new RewardModel(inputs, new BayesianRidge(intercept, centre, weights, alpha, beta, basis,
        eigenvalues));
    } catch (IOException e) {
      throw new IllegalArgumentException("the model's bytes end early", e);
    }
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1_000_000) {
      throw new IllegalArgumentException("the model's bytes are damaged");
    }
    return n;
  }

  private static void write(DataOutputStream out, double[] values) throws IOException {
    out.writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
  }

  private static double[] read(DataInputStream in) throws IOException {
    double[] values = new double[count(in)];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }
}
