package dev.promptlab.generation.storage;

/** Image bytes could not be written, read or removed. {@link #missing()} tells an absent object apart. */
public final class StorageException extends RuntimeException {

  private final boolean missing;

  public StorageException(String message, boolean missing, Throwable cause) {
    super(message, cause);
    this.missing = missing;
  }

  public boolean missing() {
    return missing;
  }
}
