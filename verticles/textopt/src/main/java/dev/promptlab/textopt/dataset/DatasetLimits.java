package dev.promptlab.textopt.dataset;

/**
 * What a dataset file may hold.
 *
 * @param maxBytes the file's size
 * @param maxRows the rows of the file, refused ones included (blank lines are not rows)
 * @param maxFieldChars the characters of one row's {@code input} or {@code expected}
 */
public record DatasetLimits(long maxBytes, int maxRows, int maxFieldChars) {

  public DatasetLimits {
    if (maxBytes < 1 || maxRows < 2 || maxFieldChars < 1) {
      throw new IllegalArgumentException("dataset limits must allow at least one byte, two rows and one character");
    }
  }
}
