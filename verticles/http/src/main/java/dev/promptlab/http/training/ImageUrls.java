package dev.promptlab.http.training;

import java.util.regex.Pattern;

/**
 * Where a browser fetches a stored image through this server: {@code GET /images/<public id>}. The public id is
 * 128 random bits in URL-safe base64 (22 characters, drawn by the database); a URL never carries the sequential
 * numeric id, so one image's URL says nothing about another's.
 */
public final class ImageUrls {

  /** The shape of a public id; anything else (a numeric id, say) names no image. */
  public static final Pattern PUBLIC_ID = Pattern.compile("[A-Za-z0-9_-]{22}");

  private ImageUrls() {
  }

  public static String of(String publicId) {
    return publicId == null ? null : "/images/" + publicId;
  }

  /** The image's thumbnail for lists ({@code GET /images/<public id>/thumbnail}). */
  public static String thumbnail(String publicId) {
    return publicId == null ? null : "/images/" + publicId + "/thumbnail";
  }

  /** The storage's own URL when it gave one (e.g. a configured public base URL), otherwise ours. */
  public static String preferred(String storageUrl, String publicId) {
    return storageUrl == null || storageUrl.isBlank() ? of(publicId) : storageUrl;
  }
}
