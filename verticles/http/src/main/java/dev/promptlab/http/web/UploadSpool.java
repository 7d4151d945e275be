package dev.promptlab.http.web;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where upload bodies are spooled while a request is worked on. Blocking file work: call it on a worker.
 *
 * <p>Rules:
 * <ul>
 *   <li>the configured root ({@code uploads_dir}) is created owner-only; each HTTP instance spools into its own
 *       owner-only directory {@code <root>/<pid>-<random>}, so no other local user can list or read an upload;</li>
 *   <li>at start, leftovers of processes that are gone (directories named after a pid that no longer runs, and
 *       loose files of older versions) are deleted;</li>
 *   <li>at stop, the instance's directory is deleted with whatever is still in it.</li>
 * </ul>
 */
public final class UploadSpool {

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private final Path directory;

  private UploadSpool(Path directory) {
    this.directory = directory;
  }

  /** Cleans the leftovers under {@code root} and creates this instance's directory. */
  public static UploadSpool open(Path root) throws IOException {
    Path absolute = root.toAbsolutePath().normalize();
    createOwnerOnly(absolute);
    removeLeftovers(absolute);
    Path own = absolute.resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
    createOwnerOnly(own);
    return new UploadSpool(own);
  }

  public Path directory() {
    return directory;
  }

  /** Deletes this instance's directory and everything in it. */
  public void delete() throws IOException {
    deleteTree(directory);
  }

  private static void removeLeftovers(Path root) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry)) {
          Long pid = ownerPid(entry.getFileName().toString());
          boolean running = pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
          if (pid != null && !running) {
            deleteTree(entry);
          }
        } else {
          Files.deleteIfExists(entry);
        }
      }
    }
  }

  /** The pid a spool directory is named after, or null when the name is not one of ours. */
  static Long ownerPid(String name) {
    int dash = name.indexOf('-');
    if (dash <= 0) {
      return null;
    }
    try {
      return Long.parseLong(name.substring(0, dash));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void createOwnerOnly(Path dir) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
      Files.createDirectories(dir, attributes);
    }
    if (posix) {
      // An existing directory may have been created by an older version with the umask's permissions.
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
