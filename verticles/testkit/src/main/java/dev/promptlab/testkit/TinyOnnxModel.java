package dev.promptlab.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a few-hundred-byte ONNX model for the tests, in ONNX's protobuf encoding: {@code GlobalAveragePool} then
 * {@code Flatten} over a {@code [1, channels, size, size]} float input, so its "embedding" is the mean of each
 * normalised channel — an answer a test can compute by hand.
 */
public final class TinyOnnxModel {

  private TinyOnnxModel() {
  }

  public static Path write(Path file, int channels, int size) throws IOException {
    byte[] graph = concat(
      field(1, node("pixels", "pooled", "pool", "GlobalAveragePool")),
      field(1, node("pooled", "embedding", "flatten", "Flatten")),
      field(2, text("tiny-encoder")),
      field(11, valueInfo("pixels", new long[] {1, channels, size, size})),
      field(12, valueInfo("embedding", new long[] {1, channels})));
    byte[] opset = varintField(2, 13);
    byte[] model = concat(varintField(1, 8), field(2, text("promptlab-tests")), field(7, graph), field(8, opset));
    Files.write(file, model);
    return file;
  }

  private static byte[] node(String input, String output, String name, String op) {
    return concat(field(1, text(input)), field(2, text(output)), field(3, text(name)), field(4, text(op)));
  }

  private static byte[] valueInfo(String name, long[] dims) {
    ByteArrayOutputStream shape = new ByteArrayOutputStream();
    for (long dim : dims) {
      shape.writeBytes(field(1, varintField(1, dim)));
    }
    byte[] tensorType = concat(varintField(1, 1), field(2, shape.toByteArray()));
    return concat(field(1, text(name)), field(2, field(1, tensorType)));
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A length-delimited field (wire type 2). */
  private static byte[] field(int number, byte[] payload) {
    return concat(varint((long) number << 3 | 2), varint(payload.length), payload);
  }

  /** A varint field (wire type 0). */
  private static byte[] varintField(int number, long value) {
    return concat(varint((long) number << 3), varint(value));
  }

  private static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
