package dev.promptlab.http.training;

/** Where a browser fetches a stored image through this server ({@code GET /images/:id}). */
public final class ImageUrls {

  private ImageUrls() {
  }

  public static String of(Long imageId) {
    return imageId == null ? null : "/images/" + imageId;
  }

  /** The storage's own URL when it gave one (e.g. a public bucket), otherwise ours. */
  public static String preferred(String storageUrl, long imageId) {
    return storageUrl == null || storageUrl.isBlank() ? of(imageId) : storageUrl;
  }
}
