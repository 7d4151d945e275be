package dev.promptlab.evolution.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a new prompt store starts with, read from the class path: the build packages the repository's
 * {@code prompts/} folder under {@value #PACKAGED_ROOT}, so the fat jar carries its own seed.
 *
 * <p>Rules: {@value #INDEX_FILE} lists the seed, one path a line relative to the root ({@code #} starts a
 * comment); only the store's own layout may be listed ({@code schema.json}, {@code evolution-system-prompt.txt},
 * {@code versions/current.json}, {@code versions/vX.Y.Z.json}), so a seed can never name a file outside the
 * store; every listed file must be on the class path. Anything else is refused with the offending path.
 *
 * @param files content by relative path, in index order
 */
public record PromptSeed(Map<String, byte[]> files) {

  public static final String PACKAGED_ROOT = "seed-prompts";
  public static final String INDEX_FILE = "seed-index.txt";

  public PromptSeed {
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /** The seed packaged with this module. */
  public static PromptSeed packaged() {
    return fromClasspath(PromptSeed.class.getClassLoader(), PACKAGED_ROOT);
  }

  /** The seed whose index is {@code <root>/seed-index.txt} on {@code loader}'s class path. */
  public static PromptSeed fromClasspath(ClassLoader loader, String root) {
    String index = new String(read(loader, root, INDEX_FILE), StandardCharsets.UTF_8);
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String path : listedPaths(index)) {
      if (files.put(path, read(loader, root, path)) != null) {
        throw invalid(root + "/" + INDEX_FILE + " lists " + path + " twice");
      }
    }
    if (files.isEmpty()) {
      throw invalid(root + "/" + INDEX_FILE + " lists no file");
    }
    return new PromptSeed(files);
  }

  /** The listed paths, each checked against the store's layout. */
  static List<String> listedPaths(String index) {
    List<String> paths = new ArrayList<>();
    for (String line : index.split("\n")) {
      String path = line.strip();
      if (path.isEmpty() || path.startsWith("#")) {
        continue;
      }
      if (!isStorePath(path)) {
        throw invalid("the prompt seed lists " + PromptVersionName.quote(path) + ", which is not a file of a prompt"
          + " store (schema.json, evolution-system-prompt.txt, versions/current.json or versions/vX.Y.Z.json)");
      }
      paths.add(path);
    }
    return paths;
  }

  private static boolean isStorePath(String path) {
    if (path.equals(PromptVersionStore.SCHEMA_FILE) || path.equals(PromptVersionStore.SYSTEM_PROMPT_FILE)) {
      return true;
    }
    String folder = PromptVersionStore.VERSIONS_FOLDER + "/";
    if (!path.startsWith(folder)) {
      return false;
    }
    String file = path.substring(folder.length());
    return file.equals(PromptVersionStore.CURRENT_FILE)
      || file.endsWith(".json") && PromptVersionName.isValid(file.substring(0, file.length() - ".json".length()));
  }

  private static byte[] read(ClassLoader loader, String root, String path) {
    String resource = root + "/" + path;
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new PromptStoreException(PromptStoreException.Reason.NOT_FOUND, "the prompt seed has no " + resource
          + " on the class path (is the evolution jar built from a checkout with prompts/?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new PromptStoreException(PromptStoreException.Reason.IO_FAILED, "cannot read " + resource + ": "
        + e.getMessage(), e);
    }
  }

  private static PromptStoreException invalid(String message) {
    return new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, message);
  }
}
