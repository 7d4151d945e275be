package dev.promptlab.generation.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an inspected image into upright float planes. Every decode reads the whole compressed
 * stream, so truncated or damaged data is reported as {@link ImageRejectedException.Reason#CORRUPT}.
 */
final class ImageDecoder {

  /** Longer edge of the throw-away raster used when only the integrity of the data matters. */
  private static final int CHECK_EDGE = 256;

  private ImageDecoder() {
  }

  /** The image upright, scaled down to fit {@code maxEdge} on its longer side. */
  static Planes decodeUpright(byte[] content, ImageInfo info, int maxEdge) throws ImageRejectedException {
    BufferedImage decoded = decode(content, info, 1);
    return Planes.resizedToFit(decoded, maxEdge).oriented(info.orientation());
  }

  /**
   * Decodes the full stream into a tiny subsampled raster: damaged data fails here, while memory stays
   * small however large the image is.
   */
  static void verifyIntegrity(byte[] content, ImageInfo info) throws ImageRejectedException {
    int longer = Math.max(info.width(), info.height());
    decode(content, info, Math.max(1, longer / CHECK_EDGE));
  }

  private static BufferedImage decode(byte[] content, ImageInfo info, int subsampling)
    throws ImageRejectedException {
    ImageReader reader = ImageInspector.readerFor(info.format());
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
      reader.setInput(input, true, true);
      ImageReadParam param = reader.getDefaultReadParam();
      if (subsampling > 1) {
        param.setSourceSubsampling(subsampling, subsampling, 0, 0);
      }
      BufferedImage image = reader.read(0, param);
      if (truncated(warnings)) {
        throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
          "the " + info.format() + " data ends early; the file is truncated");
      }
      return image;
    } catch (IIOException e) {
      if (isUnsupportedVariant(e)) {
        throw new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_VARIANT,
          "this kind of " + info.format() + " (e.g. CMYK) is not supported; save it as RGB", e);
      }
      throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
        "the " + info.format() + " data cannot be decoded; the file is damaged or truncated", e);
    } catch (IOException | RuntimeException e) {
      throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
        "the " + info.format() + " data cannot be decoded; the file is damaged or truncated", e);
    } finally {
      reader.dispose();
    }
  }

  // The JDK's JPEG reader reports a cut-off stream only as a warning and fills the rest with grey.
  private static boolean truncated(List<String> warnings) {
    return warnings.stream().anyMatch(w -> w != null && w.toLowerCase().contains("premature end"));
  }

  private static boolean isUnsupportedVariant(IIOException e) {
    String message = e.getMessage();
    return message != null && message.toLowerCase().contains("unsupported image type");
  }
}
