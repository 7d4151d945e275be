package dev.promptlab.generation.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExifOrientationTest {

  private static final byte[] PLAIN_JPEG = TestImages.jpeg(TestImages.quadrants(40, 20));

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void readsEveryOrientationInBothByteOrders(int orientation) {
    assertEquals(orientation, ExifOrientation.fromJpeg(
      TestImages.withExif(PLAIN_JPEG, TestImages.tiffWithOrientation(orientation, false))));
    assertEquals(orientation, ExifOrientation.fromJpeg(
      TestImages.withExif(PLAIN_JPEG, TestImages.tiffWithOrientation(orientation, true))));
  }

  @Test
  void jpegWithoutExifIsUpright() {
    assertEquals(1, ExifOrientation.fromJpeg(PLAIN_JPEG));
  }

  @Test
  void exifAfterOtherSegmentsIsFound() {
    // Some cameras write JFIF APP0 first and Exif later; the plain JPEG already starts with APP0.
    byte[] app0First = PLAIN_JPEG.clone();
    assertEquals(0xE0, app0First[3] & 0xFF, "the fixture starts with a JFIF APP0 segment");
    int app0Length = ((app0First[4] & 0xFF) << 8) | (app0First[5] & 0xFF);
    byte[] exifSegment = Arrays.copyOfRange(
      TestImages.withExif(PLAIN_JPEG, TestImages.tiffWithOrientation(6, false)), 2, 2 + 2 + 2 + 6 + 38);
    int split = 2 + 2 + app0Length;
    byte[] spliced = ByteBuffer.allocate(app0First.length + exifSegment.length)
      .put(app0First, 0, split).put(exifSegment).put(app0First, split, app0First.length - split).array();
    assertEquals(6, ExifOrientation.fromJpeg(spliced));
  }

  @Test
  void outOfRangeValueReadsAsUpright() {
    assertEquals(1, ExifOrientation.fromJpeg(
      TestImages.withExif(PLAIN_JPEG, TestImages.tiffWithOrientation(9, false))));
    assertEquals(1, ExifOrientation.fromJpeg(
      TestImages.withExif(PLAIN_JPEG, TestImages.tiffWithOrientation(0, true))));
  }

  @Test
  void malformedTiffReadsAsUpright() {
    byte[] tiff = TestImages.tiffWithOrientation(6, false);
    byte[] badMagic = tiff.clone();
    badMagic[3] = 43;
    assertEquals(1, ExifOrientation.fromJpeg(TestImages.withExif(PLAIN_JPEG, badMagic)));
    byte[] badByteOrder = tiff.clone();
    badByteOrder[0] = 'X';
    assertEquals(1, ExifOrientation.fromJpeg(TestImages.withExif(PLAIN_JPEG, badByteOrder)));
    byte[] ifdOutside = tiff.clone();
    ifdOutside[7] = (byte) 0xF0;
    assertEquals(1, ExifOrientation.fromJpeg(TestImages.withExif(PLAIN_JPEG, ifdOutside)));
    byte[] tooManyEntries = tiff.clone();
    // Claims 200 entries in a directory that holds two: the reader must stop at the segment's end.
    tooManyEntries[9] = (byte) 200;
    tooManyEntries[8] = 0;
    byte[] entryTagWrongType = tiff.clone();
    entryTagWrongType[8 + 2 + 12 + 3] = 4;
    assertEquals(1, ExifOrientation.fromJpeg(TestImages.withExif(PLAIN_JPEG, entryTagWrongType)));
    // With a correct entry inside the bounds the reader still finds it despite the inflated count.
    assertEquals(6, ExifOrientation.fromJpeg(TestImages.withExif(PLAIN_JPEG, tooManyEntries)));
  }

  @Test
  void truncatedSegmentsAndGarbageReadAsUpright() {
    byte[] withExif = TestImages.withExif(PLAIN_JPEG, TestImages.tiffWithOrientation(6, false));
    for (int cut = 0; cut < 60; cut++) {
      int orientation = ExifOrientation.fromJpeg(Arrays.copyOf(withExif, cut));
      assertEquals(cut >= 50 ? 6 : 1, orientation, "cut at " + cut);
    }
    assertEquals(1, ExifOrientation.fromJpeg("not a jpeg at all".getBytes()));
    assertEquals(1, ExifOrientation.fromJpeg(new byte[0]));
  }

  @Test
  void readsPngExifChunk() {
    byte[] png = TestImages.png(TestImages.quadrants(8, 4));
    assertEquals(1, ExifOrientation.fromPng(png));
    assertEquals(8, ExifOrientation.fromPng(TestImages.pngWithExif(png, TestImages.tiffWithOrientation(8, true))));
    assertEquals(8, ExifOrientation.read(ImageFormat.PNG,
      TestImages.pngWithExif(png, TestImages.tiffWithOrientation(8, true))));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void turnsPixelsUpright(int orientation) {
    // Stored pixels: quadrants R G / B W. Expected displayed corners [top-left, top-right, bottom-left, bottom-right].
    String[][] expected = {
      null,
      {"R", "G", "B", "W"},
      {"G", "R", "W", "B"},
      {"W", "B", "G", "R"},
      {"B", "W", "R", "G"},
      {"R", "B", "G", "W"},
      {"B", "R", "W", "G"},
      {"W", "G", "B", "R"},
      {"G", "W", "R", "B"},
    };
    Planes stored = Planes.of(TestImages.quadrants(6, 4));
    Planes upright = stored.oriented(orientation);
    boolean swapped = ExifOrientation.swapsDimensions(orientation);
    assertEquals(swapped ? 4 : 6, upright.width);
    assertEquals(swapped ? 6 : 4, upright.height);
    String[] corners = {
      colour(upright, 0, 0), colour(upright, upright.width - 1, 0),
      colour(upright, 0, upright.height - 1), colour(upright, upright.width - 1, upright.height - 1)};
    assertArrayEquals(expected[orientation], corners, "orientation " + orientation);
  }

  static String colour(Planes planes, int x, int y) {
    int i = y * planes.width + x;
    float r = planes.r[i];
    float g = planes.g[i];
    float b = planes.b[i];
    if (r > 0.6f && g > 0.6f && b > 0.6f) {
      return "W";
    }
    if (r >= g && r >= b) {
      return "R";
    }
    return g >= b ? "G" : "B";
  }
}
