package dev.promptlab.database;

/** Another live PromptLab process uses the data directory's embedded database; the message says what to do. */
public final class DataDirectoryInUseException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  DataDirectoryInUseException(String message) {
    super(message);
  }
}
