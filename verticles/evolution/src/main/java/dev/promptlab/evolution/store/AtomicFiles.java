package dev.promptlab.evolution.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that a crash cannot leave half done: the content goes to a temporary file in the target's
 * folder (same file system), is flushed to disk, and then takes the target's name in one step.
 */
final class AtomicFiles {

  private static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {
  }

  /** Writes a file that must not exist yet; throws {@link FileAlreadyExistsException} (atomically) if it does. */
  static void createNew(Path target, byte[] content) throws IOException {
    Path temporary = writeTemporary(target, content);
    try {
      try {
        // A hard link fails atomically when the name is taken, unlike a rename, which would replace it.
        Files.createLink(target, temporary);
      } catch (FileAlreadyExistsException e) {
        throw e;
      } catch (UnsupportedOperationException | FileSystemException e) {
        if (Files.exists(target)) {
          throw new FileAlreadyExistsException(target.toString());
        }
        move(temporary, target);
      }
      syncDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Writes a file, replacing any previous content in one step. */
  static void replace(Path target, byte[] content) throws IOException {
    Path temporary = writeTemporary(target, content);
    try {
      move(temporary, target);
      syncDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Deletes temporary files a crash left behind in {@code folder}. */
  static int removeStaleTemporaries(Path folder) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "." + "*" + TEMP_SUFFIX)) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry) && Files.deleteIfExists(entry)) {
          removed++;
        }
      }
    }
    return removed;
  }

  private static Path writeTemporary(Path target, byte[] content) throws IOException {
    Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", TEMP_SUFFIX);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
      StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    return temporary;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void syncDirectory(Path folder) {
    // Makes the rename itself durable on Linux; other platforms refuse to open a folder, which is harmless.
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort
    }
  }
}
