package dev.promptlab.http.imports;

/**
 * A manifest refused whole, before anything is stored: it is not CSV or JSON Lines, has no rows, or has too many.
 * The import answers it as a 400 (413 for too many rows) with this message.
 */
final class ManifestRefused extends RuntimeException {

  private final boolean tooLarge;

  ManifestRefused(String message) {
    this(message, false);
  }

  ManifestRefused(String message, boolean tooLarge) {
    super(message, null, false, false);
    this.tooLarge = tooLarge;
  }

  boolean tooLarge() {
    return tooLarge;
  }
}
