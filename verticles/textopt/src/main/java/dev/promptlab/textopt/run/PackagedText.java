package dev.promptlab.textopt.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A text the build packages from the repository's {@code prompts/} into this module's class path. */
public final class PackagedText {

  private PackagedText() {
  }

  /** The resource's text; a missing one is a broken build, said as such. */
  public static String read(String resource) {
    try (InputStream in = PackagedText.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path: the build packages it from"
          + " prompts/");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
