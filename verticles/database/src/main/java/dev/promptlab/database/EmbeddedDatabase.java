package dev.promptlab.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL 17 server run from the binaries shipped in a Maven artifact, so PromptLab works on a
 * machine with no database installed. It is a production database, not a test fixture:
 *
 * <ul>
 *   <li><b>Durable</b>: {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} are on, so a
 *       commit that was acknowledged survives a crash of the server, of PromptLab or of the machine.</li>
 *   <li><b>Private</b>: it listens on 127.0.0.1 only (no Unix socket), every connection needs the password
 *       (scram-sha-256) generated once into {@code <name>.password} (mode 0600) beside the cluster; the
 *       cluster, the binaries ({@code <name>-runtime}) and the lock file are owner-only.</li>
 *   <li><b>Restartable</b>: a lock file ({@code <name>.lock}) tells a live PromptLab on the same directory
 *       apart from a dead one; a server left running by a dead one is shut down first
 *       ({@link LeftoverPostmaster}), then PostgreSQL's crash recovery runs as usual.</li>
 * </ul>
 *
 * <p>Settings PromptLab depends on are written at every start into {@code promptlab.conf} (included from
 * {@code postgresql.conf}) and {@code pg_hba.conf}; the server's output goes to {@code <name>.log}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String USER = "postgres";
  private static final String INCLUDE = "include_if_exists = 'promptlab.conf'";
  private static final long LOG_ROTATE_BYTES = 10L * 1024 * 1024;
  private static final int START_TIMEOUT_SECONDS = 120;

  private final PostgresProgram programs;
  private final Path cluster;
  private final int port;
  private final String password;
  private final DataDirectoryLock lock;
  private boolean closed;

  private EmbeddedDatabase(PostgresProgram programs, Path cluster, int port, String password, DataDirectoryLock lock) {
    this.programs = programs;
    this.cluster = cluster;
    this.port = port;
    this.password = password;
    this.lock = lock;
  }

  /**
   * Starts the server (blocking, a few seconds; longer when unpacking the binaries the first time).
   *
   * @param dataDirectory where the cluster lives; created when missing
   * @param port          the TCP port on 127.0.0.1, or 0 for any free port
   * @param clean         wipe the cluster first (tests)
   * @throws DataDirectoryInUseException when another live PromptLab process uses the directory
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port, boolean clean) {
    Path cluster = dataDirectory.toAbsolutePath().normalize();
    Path home = cluster.getParent();
    String name = cluster.getFileName().toString();
    try {
      createOwnerOnly(home);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + home, e);
    }
    DataDirectoryLock lock = DataDirectoryLock.acquire(home.resolve(name + ".lock"), home);
    try {
      PostgresProgram programs = new PostgresProgram(PostgresBinaries.prepare(home.resolve(name + "-runtime")));
      LeftoverPostmaster.stopIfRunning(cluster);
      if (clean) {
        PostgresBinaries.deleteTree(cluster);
      }
      Path passwordFile = home.resolve(name + ".password");
      boolean newPassword = !Files.exists(passwordFile);
      String password = newPassword ? writePassword(passwordFile) : Files.readString(passwordFile).trim();
      if (!Files.exists(cluster.resolve("PG_VERSION"))) {
        initdb(programs, cluster, passwordFile);
      } else if (newPassword) {
        setPassword(programs, cluster, password);
      }
      writeSettings(cluster);
      int actualPort = startServer(programs, cluster, home.resolve(name + ".log"), port);
      LOG.info("Embedded PostgreSQL running on 127.0.0.1:{} with data in {}", actualPort, cluster);
      return new EmbeddedDatabase(programs, cluster, actualPort, password, lock);
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + cluster, e);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  public DatabaseSettings settings() {
    return new DatabaseSettings("127.0.0.1", port, USER, USER, password);
  }

  /** Blocking: a fast shutdown (open transactions roll back, committed data is on disk), then the lock goes. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      programs.run("pg_ctl", List.of("-D", cluster.toString(), "-m", "fast", "-w", "-t", "60", "stop"), null);
      LOG.info("Embedded PostgreSQL stopped");
    } catch (PostgresProgram.Failed e) {
      LOG.error("The embedded PostgreSQL did not stop cleanly: {}", e.output().trim());
    } finally {
      lock.close();
    }
  }

  private static void createOwnerOnly(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static String writePassword(Path file) throws IOException {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(temporary, password);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("Generated the embedded database's password into {}", file);
    return password;
  }

  /** A new cluster is made in a temporary folder and renamed into place, so a crash never leaves half of one. */
  private static void initdb(PostgresProgram programs, Path cluster, Path passwordFile) throws IOException {
    Path temporary = cluster.resolveSibling(cluster.getFileName() + ".initdb");
    PostgresBinaries.deleteTree(temporary);
    PostgresBinaries.deleteTree(cluster);
    LOG.info("Creating the database cluster in {}", cluster);
    try {
      programs.run("initdb", List.of("-D", temporary.toString(), "-U", USER, "--pwfile=" + passwordFile,
        "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"),
        null);
    } catch (PostgresProgram.Failed e) {
      throw new IllegalStateException("initdb failed: " + lastLines(e.output(), 5), e);
    }
    Files.move(temporary, cluster, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * A cluster made before the password existed (older releases trusted every local connection): the
   * password is set in single-user mode, where no connection and no authentication is involved.
   */
  private static void setPassword(PostgresProgram programs, Path cluster, String password) {
    LOG.info("Setting a password on the existing database cluster in {}", cluster);
    try {
      programs.run("postgres", List.of("--single", "-D", cluster.toString(), "postgres"),
        "ALTER ROLE " + USER + " PASSWORD '" + password + "';\n");
    } catch (PostgresProgram.Failed e) {
      throw new IllegalStateException("could not set the database password: " + lastLines(e.output(), 5), e);
    }
  }

  private static void writeSettings(Path cluster) throws IOException {
    String settings = String.join("\n",
      "# Written by PromptLab at every start; edits here are lost. Durable, loopback-only, password-protected.",
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      "max_connections = 100",
      "fsync = on",
      "synchronous_commit = on",
      "full_page_writes = on",
      "password_encryption = 'scram-sha-256'",
      "timezone = 'UTC'",
      "");
    replace(cluster.resolve("promptlab.conf"), settings);
    replace(cluster.resolve("pg_hba.conf"), String.join("\n",
      "# Written by PromptLab at every start: TCP on loopback only, always with the password.",
      "host all all 127.0.0.1/32 scram-sha-256",
      "host all all ::1/128 scram-sha-256",
      ""));
    Path main = cluster.resolve("postgresql.conf");
    if (Files.readAllLines(main).stream().noneMatch(INCLUDE::equals)) {
      replace(main, Files.readString(main) + "\n" + INCLUDE + "\n");
    }
  }

  private static void replace(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, content);
    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * {@code pg_ctl start -w} returns when the server accepts connections (after any crash recovery) or as
   * soon as it has died. A port found free may be taken by the time the server binds it: with port 0 the
   * start is tried again on another port.
   */
  private static int startServer(PostgresProgram programs, Path cluster, Path log, int port) throws IOException {
    rotate(log);
    int attempts = port > 0 ? 1 : 3;
    for (int attempt = 1; ; attempt++) {
      int chosen = port > 0 ? port : freePort();
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      try {
        programs.run("pg_ctl", List.of("-D", cluster.toString(), "-l", log.toString(), "-w",
          "-t", String.valueOf(START_TIMEOUT_SECONDS), "-o", "-p " + chosen, "start"), null);
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-------"));
        return chosen;
      } catch (PostgresProgram.Failed e) {
        String reason = serverErrors(log, logStart);
        if (reason.contains("Address already in use") && attempt < attempts) {
          LOG.info("Port {} was taken meanwhile; trying another", chosen);
          continue;
        }
        throw new IllegalStateException("The embedded PostgreSQL did not start: "
          + (reason.isEmpty() ? lastLines(e.output(), 3) : reason) + " (server log: " + log + ")");
      }
    }
  }

  private static void rotate(Path log) throws IOException {
    if (Files.exists(log) && Files.size(log) > LOG_ROTATE_BYTES) {
      Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The FATAL and PANIC lines this start wrote to the server log. */
  private static String serverErrors(Path log, long from) {
    try {
      if (!Files.exists(log)) {
        return "";
      }
      String text = Files.readString(log);
      List<String> errors = new ArrayList<>();
      for (String line : text.substring((int) Math.min(from, text.length())).split("\n")) {
        if (line.contains("FATAL:") || line.contains("PANIC:") || line.contains("Address already in use")) {
          errors.add(line.trim());
        }
      }
      return String.join("; ", errors);
    } catch (IOException e) {
      return "";
    }
  }

  private static String lastLines(String output, int count) {
    String[] lines = output.trim().split("\n");
    return String.join(" / ", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - count), lines.length));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
