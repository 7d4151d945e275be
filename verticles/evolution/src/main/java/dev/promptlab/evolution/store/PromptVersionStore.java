package dev.promptlab.evolution.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prompt versions on disk, the source of truth of the prompt store:
 * <pre>
 *   prompts/schema.json                   JSON Schema of a version document
 *   prompts/versions/vX.Y.Z.json          one version each, never overwritten (only performance is refreshed)
 *   prompts/versions/current.json         {"version": "vX.Y.Z"}: which version is current
 *   prompts/evolution-system-prompt.txt   the evolution meta-prompt
 * </pre>
 * Every method does blocking file I/O: call it from a worker thread. Writes are atomic (temporary file and
 * rename in the same folder) and serialised on this instance.
 */
public final class PromptVersionStore {

  public static final String VERSIONS_FOLDER = "versions";
  public static final String CURRENT_FILE = "current.json";
  public static final String SCHEMA_FILE = "schema.json";
  public static final String SYSTEM_PROMPT_FILE = "evolution-system-prompt.txt";

  private final Path root;
  private final Path versionsFolder;
  private final PromptDocumentValidator validator;

  /** Opens the store under {@code root} (reads the schema, removes temporary files a crash left behind). */
  public PromptVersionStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.versionsFolder = this.root.resolve(VERSIONS_FOLDER);
    if (!Files.isDirectory(versionsFolder)) {
      throw new PromptStoreException(PromptStoreException.Reason.NOT_FOUND,
        "the prompt store has no versions folder: " + versionsFolder);
    }
    this.validator = PromptDocumentValidator.fromSchemaFile(this.root.resolve(SCHEMA_FILE));
    try {
      AtomicFiles.removeStaleTemporaries(versionsFolder);
    } catch (IOException e) {
      throw ioFailure("cannot clean " + versionsFolder, e);
    }
  }

  public Path root() {
    return root;
  }

  public PromptDocumentValidator validator() {
    return validator;
  }

  /** The names of all stored versions, oldest (lowest) first. */
  public List<PromptVersionName> list() {
    List<PromptVersionName> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(versionsFolder, "v*.json")) {
      for (Path entry : entries) {
        String file = entry.getFileName().toString();
        String name = file.substring(0, file.length() - ".json".length());
        if (PromptVersionName.isValid(name) && Files.isRegularFile(entry)) {
          names.add(PromptVersionName.parse(name));
        }
      }
    } catch (IOException e) {
      throw ioFailure("cannot list " + versionsFolder, e);
    }
    names.sort(null);
    return names;
  }

  public boolean exists(PromptVersionName version) {
    return Files.isRegularFile(pathOf(version));
  }

  /** Loads and validates one version; the name is checked before any file is touched. */
  public PromptVersion load(String version) {
    return load(PromptVersionName.parse(version));
  }

  public PromptVersion load(PromptVersionName version) {
    return PromptVersionJson.fromNode(loadNode(version));
  }

  /** The validated document as stored, field for field. */
  public ObjectNode loadNode(PromptVersionName version) {
    Path file = pathOf(version);
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new PromptStoreException(PromptStoreException.Reason.NOT_FOUND, "prompt version " + version
        + " does not exist");
    } catch (IOException e) {
      throw ioFailure("cannot read " + file, e);
    }
    JsonNode node = PromptVersionJson.parse(content, file.getFileName().toString());
    validator.requireValid(node, file.getFileName().toString());
    if (!version.toString().equals(node.path("version").asText())) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, file.getFileName()
        + " holds version " + PromptVersionName.quote(node.path("version").asText()) + ", not " + version);
    }
    return (ObjectNode) node;
  }

  /** All versions, oldest first. */
  public List<PromptVersion> loadAll() {
    List<PromptVersion> versions = new ArrayList<>();
    for (PromptVersionName name : list()) {
      versions.add(load(name));
    }
    return versions;
  }

  /**
   * Writes a new version. Refused when the document is invalid, its parent does not exist, or the version
   * exists already (history is never rewritten).
   */
  public synchronized PromptVersion save(PromptVersion version) {
    ObjectNode node = PromptVersionJson.toNode(version);
    validator.requireValid(node, version.name());
    if (version.parentVersion() != null && !exists(version.parentVersion())) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, "$.parent_version: "
        + version.parentVersion() + " does not exist");
    }
    Path file = pathOf(version.version());
    try {
      AtomicFiles.createNew(file, PromptVersionJson.toBytes(node));
    } catch (FileAlreadyExistsException e) {
      throw new PromptStoreException(PromptStoreException.Reason.ALREADY_EXISTS, "prompt version "
        + version.name() + " exists already; versions are never overwritten");
    } catch (IOException e) {
      throw ioFailure("cannot write " + file, e);
    }
    return version;
  }

  /** Replaces the performance block of a stored version, the only part of a version that may change. */
  public synchronized PromptVersion recordPerformance(PromptVersionName version, Performance performance) {
    ObjectNode node = loadNode(version);
    node.set("performance", PromptVersionJson.performance(performance));
    validator.requireValid(node, version.toString());
    Path file = pathOf(version);
    try {
      AtomicFiles.replace(file, PromptVersionJson.toBytes(node));
    } catch (IOException e) {
      throw ioFailure("cannot write " + file, e);
    }
    return PromptVersionJson.fromNode(node);
  }

  /** The version current.json points at; it must exist. */
  public PromptVersionName current() {
    Path file = versionsFolder.resolve(CURRENT_FILE);
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new PromptStoreException(PromptStoreException.Reason.NOT_FOUND, "the prompt store has no "
        + VERSIONS_FOLDER + "/" + CURRENT_FILE);
    } catch (IOException e) {
      throw ioFailure("cannot read " + file, e);
    }
    JsonNode node = PromptVersionJson.parse(content, CURRENT_FILE);
    if (!node.path("version").isTextual()) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, CURRENT_FILE
        + " must be {\"version\": \"vX.Y.Z\"}");
    }
    PromptVersionName version = PromptVersionName.parse(node.path("version").asText());
    if (!exists(version)) {
      throw new PromptStoreException(PromptStoreException.Reason.NOT_FOUND, CURRENT_FILE + " points at "
        + version + ", which does not exist");
    }
    return version;
  }

  /** Points current.json at an existing, valid version (atomic replace). */
  public synchronized void setCurrent(PromptVersionName version) {
    load(version);
    ObjectNode pointer = PromptVersionJson.MAPPER.createObjectNode().put("version", version.toString());
    Path file = versionsFolder.resolve(CURRENT_FILE);
    try {
      AtomicFiles.replace(file, PromptVersionJson.toBytes(pointer));
    } catch (IOException e) {
      throw ioFailure("cannot write " + file, e);
    }
  }

  /**
   * The name for a new child of {@code parent}: the next free patch number in the parent's major.minor line,
   * so siblings from repeated evolutions never collide (v1.0.0 → v1.0.1, then v1.0.2 ...).
   */
  public synchronized PromptVersionName nextChildName(PromptVersionName parent) {
    PromptVersionName highest = parent;
    for (PromptVersionName name : list()) {
      if (name.major() == parent.major() && name.minor() == parent.minor() && name.compareTo(highest) > 0) {
        highest = name;
      }
    }
    return highest.nextPatch();
  }

  /** The evolution meta-prompt. */
  public String systemPrompt() {
    Path file = root.resolve(SYSTEM_PROMPT_FILE);
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, file + " is empty");
      }
      return text;
    } catch (NoSuchFileException e) {
      throw new PromptStoreException(PromptStoreException.Reason.NOT_FOUND, "the meta-prompt " + file
        + " is missing");
    } catch (IOException e) {
      throw ioFailure("cannot read " + file, e);
    }
  }

  /**
   * Orders versions so that every parent comes before its children (the database's foreign key needs it).
   * A parent missing from the list is an inconsistent store.
   */
  public static List<PromptVersion> parentFirst(List<PromptVersion> versions) {
    Map<PromptVersionName, List<PromptVersion>> children = new HashMap<>();
    Set<PromptVersionName> present = new HashSet<>();
    Deque<PromptVersion> ready = new ArrayDeque<>();
    List<PromptVersion> sorted = new ArrayList<>(versions);
    sorted.sort((a, b) -> a.version().compareTo(b.version()));
    for (PromptVersion v : sorted) {
      present.add(v.version());
    }
    for (PromptVersion v : sorted) {
      if (v.parentVersion() == null) {
        ready.add(v);
      } else if (!present.contains(v.parentVersion())) {
        throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT, v.name()
          + " names parent " + v.parentVersion() + ", which does not exist");
      } else {
        children.computeIfAbsent(v.parentVersion(), k -> new ArrayList<>()).add(v);
      }
    }
    List<PromptVersion> ordered = new ArrayList<>();
    while (!ready.isEmpty()) {
      PromptVersion v = ready.poll();
      ordered.add(v);
      ready.addAll(children.getOrDefault(v.version(), List.of()));
    }
    if (ordered.size() != sorted.size()) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT,
        "the parent_version links of the stored versions form a cycle");
    }
    return ordered;
  }

  private Path pathOf(PromptVersionName version) {
    Path file = versionsFolder.resolve(version.fileName()).normalize();
    if (!versionsFolder.equals(file.getParent())) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_NAME, "version name " + version
        + " leaves the versions folder");
    }
    return file;
  }

  private static PromptStoreException ioFailure(String what, IOException e) {
    return new PromptStoreException(PromptStoreException.Reason.IO_FAILED, what + ": " + e.getMessage(), e);
  }
}
