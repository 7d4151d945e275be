package dev.promptlab.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one of the unpacked PostgreSQL programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) and
 * returns what it printed.
 *
 * <p>PostgreSQL refuses to run as root; as root the programs run under {@code unshare -U} (a user
 * namespace in which the process is not root, while the files it creates still belong to the caller).
 */
final class PostgresProgram {

  /** A program that exited with a non-zero code; {@link #output()} is what it printed. */
  static final class Failed extends RuntimeException {
    private final String output;

    Failed(String message, String output) {
      super(message);
      this.output = output;
    }

    String output() {
      return output;
    }
  }

  private static final boolean ROOT = runningAsRoot();

  private final Path binaries;

  PostgresProgram(Path binaries) {
    this.binaries = binaries;
    if (ROOT && !unshareWorks()) {
      throw new IllegalStateException("PostgreSQL cannot run as root and 'unshare -U' is not available here: run"
        + " PromptLab as an unprivileged user, or set DATABASE_URL to an external PostgreSQL");
    }
  }

  /** Blocking: runs {@code bin/<program> args…} with {@code input} on its standard input (may be null). */
  String run(String program, List<String> args, String input) {
    List<String> command = new ArrayList<>();
    if (ROOT) {
      command.add("unshare");
      command.add("-U");
    }
    command.add(binaries.resolve("bin").resolve(program).toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Messages in English whatever the machine's locale, so the log and our errors read the same everywhere.
    builder.environment().put("LC_ALL", "C");
    builder.environment().remove("PGPASSWORD");
    try {
      Process process = builder.start();
      try (var stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = process.waitFor();
      if (code != 0) {
        throw new Failed(program + " " + String.join(" ", args) + " exited with " + code, output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + program, e);
    }
  }

  /** Reads the real user id from /proc (no JDK-internal class needed). */
  private static boolean runningAsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  private static boolean unshareWorks() {
    try {
      Process process = new ProcessBuilder("unshare", "-U", "true").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
