package dev.promptlab.generation.image;

import java.nio.charset.StandardCharsets;

/**
 * Reads the EXIF orientation tag (0x0112) from JPEG APP1 segments and PNG {@code eXIf} chunks.
 *
 * <p>Values follow the TIFF/EXIF definition: 1 = upright, 2 = mirrored horizontally, 3 = rotated 180°,
 * 4 = mirrored vertically, 5 = transposed, 6 = needs a 90° clockwise turn, 7 = transversed,
 * 8 = needs a 90° counter-clockwise turn. Anything missing, malformed or out of range reads as 1:
 * metadata never makes an otherwise valid image unusable.
 */
public final class ExifOrientation {

  public static final int UPRIGHT = 1;
  private static final int ORIENTATION_TAG = 0x0112;
  private static final int TYPE_SHORT = 3;
  private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};

  private ExifOrientation() {
  }

  /** The orientation recorded in the image's metadata, 1 when none. */
  public static int read(ImageFormat format, byte[] content) {
    return format == ImageFormat.JPEG ? fromJpeg(content) : fromPng(content);
  }

  /** True when the orientation swaps width and height. */
  public static boolean swapsDimensions(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  static int fromJpeg(byte[] b) {
    if (b.length < 4 || u8(b, 0) != 0xFF || u8(b, 1) != 0xD8) {
      return UPRIGHT;
    }
    int p = 2;
    while (p + 4 <= b.length) {
      if (u8(b, p) != 0xFF) {
        return UPRIGHT;
      }
      int marker = u8(b, p + 1);
      if (marker == 0xFF) {
        p++;
        continue;
      }
      if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
        p += 2;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        // Metadata segments all precede the first scan.
        return UPRIGHT;
      }
      int length = u16(b, p + 2, false);
      if (length < 2 || p + 2 + length > b.length) {
        return UPRIGHT;
      }
      if (marker == 0xE1 && length >= 2 + EXIF_HEADER.length + 8 && regionEquals(b, p + 4, EXIF_HEADER)) {
        int tiffStart = p + 4 + EXIF_HEADER.length;
        return fromTiff(b, tiffStart, p + 2 + length);
      }
      p += 2 + length;
    }
    return UPRIGHT;
  }

  static int fromPng(byte[] b) {
    int p = 8;
    while (p + 12 <= b.length) {
      long length = u32(b, p, false);
      if (length > b.length - p - 12L) {
        return UPRIGHT;
      }
      String type = new String(b, p + 4, 4, StandardCharsets.US_ASCII);
      if (type.equals("eXIf")) {
        return fromTiff(b, p + 8, p + 8 + (int) length);
      }
      if (type.equals("IEND")) {
        return UPRIGHT;
      }
      p += 12 + (int) length;
    }
    return UPRIGHT;
  }

  /** Reads IFD0 of a TIFF structure occupying {@code b[start, end)}. */
  static int fromTiff(byte[] b, int start, int end) {
    if (end - start < 8 || end > b.length) {
      return UPRIGHT;
    }
    boolean little;
    if (u8(b, start) == 'I' && u8(b, start + 1) == 'I') {
      little = true;
    } else if (u8(b, start) == 'M' && u8(b, start + 1) == 'M') {
      little = false;
    } else {
      return UPRIGHT;
    }
    if (u16(b, start + 2, little) != 42) {
      return UPRIGHT;
    }
    long ifdOffset = u32(b, start + 4, little);
    if (ifdOffset < 8 || ifdOffset > end - start - 2L) {
      return UPRIGHT;
    }
    int ifd = start + (int) ifdOffset;
    int entries = u16(b, ifd, little);
    for (int i = 0; i < entries; i++) {
      int entry = ifd + 2 + 12 * i;
      if (entry + 12 > end) {
        return UPRIGHT;
      }
      if (u16(b, entry, little) == ORIENTATION_TAG) {
        int type = u16(b, entry + 2, little);
        long count = u32(b, entry + 4, little);
        if (type != TYPE_SHORT || count < 1) {
          return UPRIGHT;
        }
        // A single SHORT sits left-aligned in the 4-byte value field.
        int value = u16(b, entry + 8, little);
        return value >= 1 && value <= 8 ? value : UPRIGHT;
      }
    }
    return UPRIGHT;
  }

  private static boolean regionEquals(byte[] b, int offset, byte[] expected) {
    if (offset + expected.length > b.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (b[offset + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  private static int u16(byte[] b, int i, boolean little) {
    return little ? u8(b, i) | u8(b, i + 1) << 8 : u8(b, i) << 8 | u8(b, i + 1);
  }

  private static long u32(byte[] b, int i, boolean little) {
    long value = little
      ? (long) u8(b, i) | (long) u8(b, i + 1) << 8 | (long) u8(b, i + 2) << 16 | (long) u8(b, i + 3) << 24
      : (long) u8(b, i) << 24 | (long) u8(b, i + 1) << 16 | (long) u8(b, i + 2) << 8 | u8(b, i + 3);
    return value & 0xFFFFFFFFL;
  }
}
