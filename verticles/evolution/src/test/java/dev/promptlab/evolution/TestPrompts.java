package dev.promptlab.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The repository's real prompts folder, copied so tests can write to it. */
public final class TestPrompts {

  /** The checked-in prompt store (tests run with the module folder as working directory). */
  public static final Path REPOSITORY_PROMPTS = Path.of("..", "..", "prompts").toAbsolutePath().normalize();

  private TestPrompts() {
  }

  /** Copies the checked-in prompt store into {@code target} and returns it. */
  public static Path copyTo(Path target) {
    try (Stream<Path> files = Files.walk(REPOSITORY_PROMPTS)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path destination = target.resolve(REPOSITORY_PROMPTS.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(source, destination);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
