package dev.promptlab.generation.image;

import java.util.Optional;

/** The image formats PromptLab accepts, recognised by their leading bytes, never by name or header. */
public enum ImageFormat {
  PNG("image/png", "png", "png"),
  JPEG("image/jpeg", "jpg", "jpeg");

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private final String contentType;
  private final String extension;
  private final String imageIoName;

  ImageFormat(String contentType, String extension, String imageIoName) {
    this.contentType = contentType;
    this.extension = extension;
    this.imageIoName = imageIoName;
  }

  /** The MIME type stored with the image and sent to browsers. */
  public String contentType() {
    return contentType;
  }

  /** File name extension used in storage keys. */
  public String extension() {
    return extension;
  }

  String imageIoName() {
    return imageIoName;
  }

  /** The format the content starts with, or empty when it is neither PNG nor JPEG. */
  public static Optional<ImageFormat> sniff(byte[] content) {
    if (startsWith(content, PNG_SIGNATURE)) {
      return Optional.of(PNG);
    }
    // SOI followed by the first marker's 0xFF: every JPEG variant (JFIF, Exif, raw) starts this way.
    if (content.length >= 3 && (content[0] & 0xFF) == 0xFF && (content[1] & 0xFF) == 0xD8
      && (content[2] & 0xFF) == 0xFF) {
      return Optional.of(JPEG);
    }
    return Optional.empty();
  }

  /** The format with this MIME type, or empty. */
  public static Optional<ImageFormat> ofContentType(String contentType) {
    for (ImageFormat format : values()) {
      if (format.contentType.equals(contentType)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] content, byte[] prefix) {
    if (content.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (content[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
