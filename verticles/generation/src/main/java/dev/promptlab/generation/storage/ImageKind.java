package dev.promptlab.generation.storage;

/** The two kinds of stored image; the name is the {@code images.kind} value, the folder the storage prefix. */
public enum ImageKind {
  ORIGINAL("original", "originals"),
  ENHANCED("enhanced", "enhanced");

  private final String dbName;
  private final String folder;

  ImageKind(String dbName, String folder) {
    this.dbName = dbName;
    this.folder = folder;
  }

  public String dbName() {
    return dbName;
  }

  public String folder() {
    return folder;
  }
}
