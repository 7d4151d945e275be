package dev.promptlab.evolution.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Gives an empty prompt store its first content from a {@link PromptSeed}. Blocking file I/O: call it from a
 * worker thread, before the store is opened.
 *
 * <p>Rules:
 * <ul>
 *   <li>A store <em>is seeded</em> once its {@code versions} folder holds a version file; then nothing is
 *       copied, whatever else is missing, so evolved versions and the current pointer are never touched.</li>
 *   <li>Existing files are never overwritten: a {@code schema.json} or meta-prompt already in place is kept.</li>
 *   <li>The seed is staged in a hidden {@code .seed-*} folder inside the store, validated as a whole store,
 *       and its {@code versions} folder takes its final name in one rename: a crash leaves either no version
 *       (the next start seeds again and completes whatever top-level file is missing) or the whole seed. Staging
 *       folders a crash left behind are deleted.</li>
 *   <li>A {@code versions} folder that holds no version but other files (after temporaries are cleaned) is
 *       refused rather than emptied: those files belong to someone.</li>
 * </ul>
 */
public final class PromptStoreSeeder {

  static final String STAGING_PREFIX = ".seed-";

  private PromptStoreSeeder() {
  }

  /**
   * Seeds {@code root} when it holds no version (creating it when absent); {@code seed} is read only then.
   *
   * @return whether the seed was copied in
   * @throws PromptStoreException when the seed is invalid, the versions folder holds foreign files, or I/O fails
   */
  public static boolean seedIfEmpty(Path root, Supplier<PromptSeed> seed) {
    Path store = root.toAbsolutePath().normalize();
    Path versions = store.resolve(PromptVersionStore.VERSIONS_FOLDER);
    try {
      Files.createDirectories(store);
      removeStaging(store);
      if (holdsVersions(versions)) {
        return false;
      }
      requireEmptyOrAbsent(versions);
      PromptSeed content = seed.get();
      Path staging = Files.createTempDirectory(store, STAGING_PREFIX);
      try {
        stage(staging, content);
        validate(staging);
        for (Map.Entry<String, byte[]> file : content.files().entrySet()) {
          if (!file.getKey().contains("/")) {
            createUnlessPresent(store.resolve(file.getKey()), file.getValue());
          }
        }
        // The commit point: from here the store holds the seed's versions and its current pointer together.
        Files.deleteIfExists(versions);
        Files.move(staging.resolve(PromptVersionStore.VERSIONS_FOLDER), versions, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(store);
      } finally {
        deleteTree(staging);
      }
      return true;
    } catch (IOException e) {
      throw new PromptStoreException(PromptStoreException.Reason.IO_FAILED, "cannot seed the prompt store " + store
        + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code versions} holds at least one well-named version file. */
  static boolean holdsVersions(Path versions) throws IOException {
    if (!Files.isDirectory(versions)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(versions, "v*.json")) {
      for (Path entry : entries) {
        String file = entry.getFileName().toString();
        if (PromptVersionName.isValid(file.substring(0, file.length() - ".json".length()))
          && Files.isRegularFile(entry)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void requireEmptyOrAbsent(Path versions) throws IOException {
    if (!Files.isDirectory(versions)) {
      if (Files.exists(versions)) {
        throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, versions
          + " is not a folder; move it away so the prompt store can be seeded");
      }
      return;
    }
    AtomicFiles.removeStaleTemporaries(versions);
    try (Stream<Path> entries = Files.list(versions)) {
      List<String> foreign = entries.map(p -> p.getFileName().toString()).sorted().toList();
      if (!foreign.isEmpty()) {
        throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, versions + " holds no prompt"
          + " version but " + foreign + "; remove them or add a version, then start again");
      }
    }
  }

  private static void stage(Path staging, PromptSeed content) throws IOException {
    Files.createDirectories(staging.resolve(PromptVersionStore.VERSIONS_FOLDER));
    for (Map.Entry<String, byte[]> file : content.files().entrySet()) {
      AtomicFiles.createNew(staging.resolve(file.getKey()), file.getValue());
    }
  }

  /** The staged seed must open as a store: valid documents, a parent for every child, a current version. */
  private static void validate(Path staging) {
    try {
      PromptVersionStore staged = new PromptVersionStore(staging);
      if (PromptVersionStore.parentFirst(staged.loadAll()).isEmpty()) {
        throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, "it holds no version");
      }
      staged.current();
      staged.systemPrompt();
    } catch (PromptStoreException e) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, "the prompt seed is not a valid"
        + " prompt store: " + e.getMessage(), e);
    }
  }

  private static void createUnlessPresent(Path target, byte[] content) throws IOException {
    try {
      AtomicFiles.createNew(target, content);
    } catch (FileAlreadyExistsException e) {
      // kept as it is: a file in the store is never overwritten by the seed
    }
  }

  private static void removeStaging(Path store) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(store, STAGING_PREFIX + "*")) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry)) {
          deleteTree(entry);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
