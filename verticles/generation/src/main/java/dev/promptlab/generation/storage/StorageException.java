package dev.promptlab.generation.storage;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.FailureCodes;

/**
 * Image bytes could not be written, read or removed. {@link #missing()} tells an absent object apart. The message
 * names the key or path, so it goes to the log only; the caller reads {@link #callerMessage()}.
 */
public final class StorageException extends BusFailure {

  private final boolean missing;

  public StorageException(String message, boolean missing, Throwable cause) {
    super(FailureCodes.STORAGE_FAILED, message, cause);
    this.missing = missing;
  }

  public boolean missing() {
    return missing;
  }

  @Override
  public String callerMessage() {
    return missing ? "the stored image file is missing" : "image storage failed";
  }
}
