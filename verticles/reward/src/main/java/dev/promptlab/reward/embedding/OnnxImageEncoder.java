package dev.promptlab.reward.embedding;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A learned image embedding from an ONNX image encoder (for example the visual tower of CLIP exported to ONNX),
 * run with ONNX Runtime on the CPU. The model must take one float tensor in NCHW layout, {@code [1, 3, H, W]} (a
 * dynamic batch is fine), and give one tensor whose values are the embedding. Preprocessing follows CLIP's: the
 * image is scaled so its short side is the input size, centre-cropped to H × W, and each channel normalised with
 * the configured mean and standard deviation (CLIP's by default).
 *
 * <p>One session serves every call (ONNX Runtime sessions are thread-safe); inference uses
 * {@code intraOpThreads} threads. Close it to free the native memory.
 */
public final class OnnxImageEncoder implements AutoCloseable {

  /** CLIP's channel means and standard deviations (RGB, 0-1). */
  public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final String inputName;
  private final int height;
  private final int width;
  private final float[] mean;
  private final float[] std;
  private final String description;

  private OnnxImageEncoder(OrtEnvironment environment, OrtSession session, String inputName, int height, int width,
                           float[] mean, float[] std, String description) {
    this.environment = environment;
    this.session = session;
    this.inputName = inputName;
    this.height = height;
    this.width = width;
    this.mean = mean;
    this.std = std;
    this.description = description;
  }

  /**
   * Loads the model at {@code path}. Throws {@link IllegalArgumentException} with the reason when the file is
   * missing, is not an ONNX model, or does not take one {@code [N, 3, H, W]} float image.
   */
  public static OnnxImageEncoder load(Path path, float[] mean, float[] std, int intraOpThreads) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("no ONNX model file at " + path);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need one value per RGB channel");
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    OrtSession session = null;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
      session = environment.createSession(path.toString(), options);
      Map<String, NodeInfo> inputs = session.getInputInfo();
      if (inputs.size() != 1 || session.getOutputInfo().isEmpty()) {
        throw new IllegalArgumentException("the model at " + path + " must take one input, not " + inputs.size());
      }
      Map.Entry<String, NodeInfo> input = inputs.entrySet().iterator().next();
      if (!(input.getValue().getInfo() instanceof TensorInfo tensor) || tensor.getShape().length != 4
        || tensor.getShape()[1] != 3 || tensor.getShape()[2] <= 0 || tensor.getShape()[3] <= 0) {
        throw new IllegalArgumentException("the model at " + path + " must take a [N, 3, H, W] image tensor with a "
          + "fixed H and W; its input is " + input.getValue().getInfo());
      }
      long[] shape = tensor.getShape();
      return new OnnxImageEncoder(environment, session, input.getKey(), (int) shape[2], (int) shape[3],
        mean.clone(), std.clone(), path.getFileName() + " (" + shape[2] + "x" + shape[3] + ")");
    } catch (OrtException e) {
      throw new IllegalArgumentException("cannot load the ONNX model at " + path + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  /** The embedding of {@code image}. Blocking (milliseconds to a second): call it on a worker. */
  public float[] embed(BufferedImage image) {
    float[] pixels = preprocess(image);
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(pixels),
           new long[] {1, 3, height, width});
         OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      OnnxValue output = result.get(0);
      return flatten(output.getValue());
    } catch (OrtException e) {
      throw new IllegalStateException("the ONNX model failed: " + e.getMessage(), e);
    }
  }

  /** The model file and its input size, for status pages. */
  public String description() {
    return description;
  }

  /** The model's input as an NCHW float array: short side scaled to fit, centre crop, per-channel normalised. */
  float[] preprocess(BufferedImage image) {
    double scale = Math.max((double) width / image.getWidth(), (double) height / image.getHeight());
    int scaledW = Math.max(width, (int) Math.round(image.getWidth() * scale));
    int scaledH = Math.max(height, (int) Math.round(image.getHeight() * scale));
    BufferedImage fitted = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = fitted.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(image, (width - scaledW) / 2, (height - scaledH) / 2, scaledW, scaledH, null);
    g.dispose();
    int plane = width * height;
    float[] out = new float[3 * plane];
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      fitted.getRGB(0, y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++) {
        int argb = row[x];
        int i = y * width + x;
        out[i] = (((argb >> 16) & 0xff) / 255f - mean[0]) / std[0];
        out[plane + i] = (((argb >> 8) & 0xff) / 255f - mean[1]) / std[1];
        out[2 * plane + i] = ((argb & 0xff) / 255f - mean[2]) / std[2];
      }
    }
    return out;
  }

  private static float[] flatten(Object value) {
    if (value instanceof float[] flat) {
      return flat;
    }
    if (value instanceof float[][] rows && rows.length == 1) {
      return rows[0];
    }
    if (value instanceof float[][][][] nchw && nchw.length == 1) {
      float[][][] image = nchw[0];
      float[] out = new float[image.length * image[0].length * image[0][0].length];
      int k = 0;
      for (float[][] channel : image) {
        for (float[] line : channel) {
          for (float v : line) {
            out[k++] = v;
          }
        }
      }
      return out;
    }
    throw new IllegalStateException("the ONNX model's output is not one float vector: "
      + (value == null ? "null" : value.getClass().getSimpleName()));
  }

  @Override
  public void close() {
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException ignored) {
        // Nothing more can be freed.
      }
    }
  }
}
