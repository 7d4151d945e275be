package dev.promptlab.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL as production runs it: durable, password-protected, owner-only, restartable after a crash. */
class EmbeddedDatabaseTest {

  /** The binaries as unpacking leaves them, once for the class (unpacking is seconds of work per test otherwise). */
  private static Path unpacked;
  private Path home;

  @BeforeAll
  static void unpackOnce() throws Exception {
    unpacked = PostgresBinaries.prepare(Path.of("target", "embedded-binaries").toAbsolutePath());
  }

  /**
   * A fresh data home whose runtime folder already holds the unpacked binaries, hard-linked (files, modes and owner
   * as unpacked): each test still makes, starts and stops a cluster of its own.
   */
  @BeforeEach
  void freshDirectory() throws Exception {
    Files.createDirectories(Path.of("target"));
    home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "embedded-");
    Path runtime = Files.createDirectories(home.resolve("postgres-runtime"));
    Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
    Path version = runtime.resolve(unpacked.getFileName());
    try (Stream<Path> paths = Files.walk(unpacked)) {
      for (Path source : paths.toList()) {
        Path target = version.resolve(unpacked.relativize(source).toString());
        if (Files.isSymbolicLink(source)) {
          Files.createSymbolicLink(target, Files.readSymbolicLink(source));
        } else if (Files.isDirectory(source)) {
          Files.createDirectory(target);
          Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
        } else {
          Files.createLink(target, source);
        }
      }
    }
  }

  @Test
  void runsDurablyAndOnlyWithThePassword() throws Exception {
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      DatabaseSettings s = database.settings();
      assertEquals("on", show(s, "fsync"));
      assertEquals("on", show(s, "synchronous_commit"));
      assertEquals("on", show(s, "full_page_writes"));
      assertEquals("127.0.0.1", show(s, "listen_addresses"));
      assertEquals("", show(s, "unix_socket_directories"));
      assertEquals(48, s.password().length());
      SQLException refused = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(s.jdbcUrl(), s.user(), "").close());
      assertTrue(refused.getMessage().contains("password"), refused.getMessage());
      assertThrows(SQLException.class, () -> DriverManager.getConnection(s.jdbcUrl(), s.user(), "wrong").close());
    }
  }

  @Test
  void keepsItsFilesToItsOwner() throws Exception {
    // What unpacking itself leaves is checked here: this test unpacks into an empty runtime folder.
    PostgresBinaries.deleteTree(home.resolve("postgres-runtime"));
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      assertEquals("rw-------", permissions(home.resolve("postgres.password")));
      assertEquals("rw-------", permissions(home.resolve("postgres.lock")));
      assertEquals("rwx------", permissions(home.resolve("postgres-runtime")));
      assertEquals("rwx------", permissions(home.resolve("postgres")));
      List<String> writableByOthers = new ArrayList<>();
      try (Stream<Path> paths = Files.walk(home.resolve("postgres-runtime"))) {
        paths.filter(p -> !Files.isSymbolicLink(p)).forEach(p -> {
          Set<PosixFilePermission> set = posix(p);
          if (set.contains(PosixFilePermission.GROUP_WRITE) || set.contains(PosixFilePermission.OTHERS_WRITE)) {
            writableByOthers.add(p.toString());
          }
        });
      }
      assertEquals(List.of(), writableByOthers);
      assertTrue(Files.isExecutable(home.resolve("postgres-runtime").resolve(
        Files.list(home.resolve("postgres-runtime")).findFirst().orElseThrow().getFileName()).resolve("bin/postgres")));
    }
  }

  @Test
  void keepsDataAndPasswordAcrossRestarts() throws Exception {
    String password;
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      password = database.settings().password();
      execute(database.settings(), "CREATE TABLE kept (note text)", "INSERT INTO kept VALUES ('still here')");
    }
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      assertEquals(password, database.settings().password());
      assertEquals("still here", query(database.settings(), "SELECT note FROM kept"));
    }
  }

  @Test
  void refusesAtOnceADirectoryALiveProcessUses() {
    try (EmbeddedDatabase first = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      DataDirectoryInUseException e = assertThrows(DataDirectoryInUseException.class,
        () -> EmbeddedDatabase.start(home.resolve("postgres"), 0, false));
      assertTrue(e.getMessage().contains("in use by another PromptLab process (pid " + ProcessHandle.current().pid() + ")"),
        e.getMessage());
      assertTrue(e.getMessage().contains("PROMPTLAB_DATA_DIR"), e.getMessage());
    }
  }

  @Test
  void startsAgainAfterTheProcessThatRanItWasKilled() throws Exception {
    Process holder = holdInAnotherProcess("before the crash");
    long orphan;
    try {
      orphan = Long.parseLong(Files.readAllLines(home.resolve("postgres/postmaster.pid")).get(0).trim());
    } finally {
      holder.destroyForcibly().waitFor();
    }
    assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
      "the server outlives the killed process (the case to recover from)");
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      assertEquals("before the crash", query(database.settings(), "SELECT note FROM survivors"));
      assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the leftover server was stopped");
    }
  }

  @Test
  void startsAgainAfterTheProcessAndTheServerWereKilled() throws Exception {
    Process holder = holdInAnotherProcess("committed before both died");
    try {
      long postmaster = Long.parseLong(Files.readAllLines(home.resolve("postgres/postmaster.pid")).get(0).trim());
      ProcessHandle server = ProcessHandle.of(postmaster).orElseThrow();
      List<ProcessHandle> all = new ArrayList<>(server.descendants().toList());
      all.add(server);
      all.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle p : all) {
        p.onExit().get(30, TimeUnit.SECONDS);
      }
    } finally {
      holder.destroyForcibly().waitFor();
    }
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      assertEquals("committed before both died", query(database.settings(), "SELECT note FROM survivors"));
    }
  }

  @Test
  void removesAStalePidFileWhoseNumberBelongsToAnotherProgram() throws Exception {
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      execute(database.settings(), "CREATE TABLE kept (note text)");
    }
    // This JVM is alive and is not a postgres server: the situation after a reboot that reused the number.
    Files.writeString(home.resolve("postgres/postmaster.pid"),
      ProcessHandle.current().pid() + "\n" + home.resolve("postgres") + "\n0\n5432\n\n127.0.0.1\n0 0\nready\n");
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      assertEquals("0", query(database.settings(), "SELECT count(*) FROM kept"));
    }
  }

  @Test
  void setsANewPasswordOnAClusterWithoutItsPasswordFileAsOlderReleasesLeftThem() throws Exception {
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      execute(database.settings(), "CREATE TABLE legacy (note text)", "INSERT INTO legacy VALUES ('kept')");
    }
    Files.delete(home.resolve("postgres.password"));
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"), 0, false)) {
      assertTrue(Files.exists(home.resolve("postgres.password")));
      assertEquals("kept", query(database.settings(), "SELECT note FROM legacy"));
    }
  }

  @Test
  void saysWhyWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> EmbeddedDatabase.start(home.resolve("postgres"), taken.getLocalPort(), false));
      assertTrue(e.getMessage().startsWith("The embedded PostgreSQL did not start: "), e.getMessage());
      assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
    }
    // The failed start released the directory.
    EmbeddedDatabase.start(home.resolve("postgres"), 0, false).close();
  }

  /** Starts {@link HoldDatabase} in a new JVM and waits for its READY line (read on a thread of its own). */
  private Process holdInAnotherProcess(String note) throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), HoldDatabase.class.getName(), home.resolve("postgres").toString(), note)
      .redirectErrorStream(true).start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      StringBuilder seen = new StringBuilder();
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        // reads to the end, so the child never blocks on a full pipe
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("READY ")) {
            ready.complete(line);
          }
          seen.append(line).append('\n');
        }
      } catch (java.io.IOException ignored) {
        // the process was killed
      }
      ready.completeExceptionally(new IllegalStateException("the holder exited before READY:\n" + seen));
    }, "hold-database-output");
    reader.setDaemon(true);
    reader.start();
    ready.get(180, TimeUnit.SECONDS);
    return process;
  }

  private static String show(DatabaseSettings s, String setting) throws SQLException {
    return query(s, "SHOW " + setting);
  }

  private static String query(DatabaseSettings s, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
         Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void execute(DatabaseSettings s, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
         Statement statement = c.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static String permissions(Path path) {
    return PosixFilePermissions.toString(posix(path));
  }

  private static Set<PosixFilePermission> posix(Path path) {
    try {
      return Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
