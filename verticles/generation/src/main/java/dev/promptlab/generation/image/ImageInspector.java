package dev.promptlab.generation.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Identifies an image without decoding its pixels: the format from the leading bytes, the dimensions
 * from the header (so that a decompression bomb is measured before any raster is allocated) and the
 * EXIF orientation.
 */
public final class ImageInspector {

  private ImageInspector() {
  }

  /** Describes the image; the reported size is the displayed one (orientation applied). */
  public static ImageInfo inspect(byte[] content) throws ImageRejectedException {
    if (content.length == 0) {
      throw new ImageRejectedException(ImageRejectedException.Reason.EMPTY, "the upload is empty");
    }
    ImageFormat format = ImageFormat.sniff(content).orElseThrow(() -> new ImageRejectedException(
      ImageRejectedException.Reason.NOT_AN_ACCEPTED_FORMAT, "only PNG and JPEG images are accepted"));
    ImageReader reader = readerFor(format);
    try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
      reader.setInput(input, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
          "the " + format + " header declares no pixels");
      }
      int orientation = ExifOrientation.read(format, content);
      return ExifOrientation.swapsDimensions(orientation)
        ? new ImageInfo(format, height, width, orientation)
        : new ImageInfo(format, width, height, orientation);
    } catch (IOException | RuntimeException e) {
      throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
        "the " + format + " header cannot be read; the file is damaged", e);
    } finally {
      reader.dispose();
    }
  }

  static ImageReader readerFor(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      throw new IllegalStateException("this JVM has no ImageIO reader for " + format);
    }
    return readers.next();
  }
}
