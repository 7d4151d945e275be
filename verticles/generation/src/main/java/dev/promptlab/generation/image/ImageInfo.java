package dev.promptlab.generation.image;

/**
 * What an accepted image is: its format, its size as displayed (EXIF orientation applied, so a
 * portrait photo stored sideways reports portrait dimensions) and the orientation found in its metadata.
 */
public record ImageInfo(ImageFormat format, int width, int height, int orientation) {

  public long pixels() {
    return (long) width * height;
  }
}
