package dev.promptlab.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL 17 server run from the binaries shipped in a Maven artifact, so PromptLab works on a
 * machine with no database installed. Data persists in {@code dataDirectory} across restarts unless
 * {@code clean} is asked for (tests).
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts the server (blocking, a few seconds).
   *
   * @param dataDirectory where the cluster lives; created when missing
   * @param port          the TCP port on 127.0.0.1, or 0 for any free port
   * @param clean         wipe the data directory first
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port, boolean clean) {
    try {
      Path absolute = dataDirectory.toAbsolutePath();
      Path workDirectory = absolute.resolveSibling(absolute.getFileName() + "-runtime");
      Files.createDirectories(absolute.getParent());
      Files.createDirectories(workDirectory);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(absolute)
        .setCleanDataDirectory(clean)
        .setOverrideWorkingDirectory(workDirectory.toFile())
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "100");
      if (port > 0) {
        builder.setPort(port);
      }
      return new EmbeddedDatabase(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  public DatabaseSettings settings() {
    return new DatabaseSettings("127.0.0.1", postgres.getPort(), "postgres", "postgres", "");
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
