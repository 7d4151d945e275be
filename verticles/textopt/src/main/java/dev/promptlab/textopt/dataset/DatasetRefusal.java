package dev.promptlab.textopt.dataset;

/**
 * A whole file refused as a dataset (not one of its rows): it is not UTF-8 text, is empty, lacks a required column,
 * has no usable row, or is beyond a limit ({@link #tooLarge}).
 */
public final class DatasetRefusal extends RuntimeException {

  private final boolean tooLarge;

  private DatasetRefusal(String message, boolean tooLarge) {
    super(message, null, false, false);
    this.tooLarge = tooLarge;
  }

  static DatasetRefusal invalid(String message) {
    return new DatasetRefusal(message, false);
  }

  static DatasetRefusal beyondLimit(String message) {
    return new DatasetRefusal(message, true);
  }

  /** Whether a limit (bytes, rows) was passed, rather than the content being wrong. */
  public boolean tooLarge() {
    return tooLarge;
  }
}
