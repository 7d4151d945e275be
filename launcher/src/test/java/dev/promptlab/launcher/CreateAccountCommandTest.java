package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.database.DatabaseSettings;
import dev.promptlab.database.EmbeddedDatabase;
import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command-line way to create the first admin, against the real database. */
class CreateAccountCommandTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final Map<String, String> environment = new HashMap<>();
  private final Deque<char[]> typed = new ArrayDeque<>();

  @BeforeEach
  void database() {
    TestDatabase.reset();
    DatabaseSettings db = TestDatabase.settings();
    environment.put("DATABASE_URL", db.url());
    environment.put("PROMPTLAB_DATA_DIR", "target/account-command-data");
  }

  private int run(String... args) {
    CreateAccountCommand command = new CreateAccountCommand(
      RunningServer.projectRoot().resolve("conf/promptlab.yaml").toString(), environment, typed::poll,
      new PrintStream(printed, true, StandardCharsets.UTF_8));
    return command.run(args);
  }

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void createsTheFirstAdminWithATypedPassword() throws Exception {
    environment.put("TRAINING_ADMIN_EMAILS", "ana@example.com");
    typed.addAll(List.of("correct horse battery".toCharArray(), "correct horse battery".toCharArray()));
    assertEquals(0, run("create-account", "Ana@Example.com", "Ana"), output());
    assertTrue(output().contains("It is an admin"), output());
    try (Connection c = TestDatabase.connect();
         PreparedStatement s = c.prepareStatement("SELECT display_name, password_hash, created_by FROM trainers WHERE email = ?")) {
      s.setString(1, "ana@example.com");
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("Ana", rs.getString(1));
        assertTrue(PasswordHasher.verify("correct horse battery", rs.getString(2)));
        assertEquals("command line", rs.getString(3));
      }
    }
  }

  @Test
  void saysHowToMakeTheAccountAnAdmin() {
    environment.put(CreateAccountCommand.PASSWORD_VARIABLE, "a long enough secret");
    assertEquals(0, run("create-account", "luis@example.com"), output());
    assertTrue(output().contains("TRAINING_ADMIN_EMAILS=luis@example.com"), output());
    assertFalse(output().contains("a long enough secret"), "the password is never printed");
  }

  @Test
  void refusesBadInputAndDuplicatesWithoutStoringAnything() {
    typed.addAll(List.of("first password!".toCharArray(), "other password!".toCharArray()));
    assertEquals(1, run("create-account", "ana@example.com"));
    assertTrue(output().contains("differ"), output());

    environment.put(CreateAccountCommand.PASSWORD_VARIABLE, "short");
    assertEquals(1, run("create-account", "ana@example.com"));
    assertTrue(output().contains("at least"), output());

    environment.put(CreateAccountCommand.PASSWORD_VARIABLE, "a long enough secret");
    assertEquals(1, run("create-account", "not-an-email"));
    assertEquals(2, run("create-account"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM trainers"));

    assertEquals(0, run("create-account", "ana@example.com"));
    assertEquals(1, run("create-account", "ANA@example.com"));
    assertTrue(output().contains("already exists"), output());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM trainers"));
  }

  @Test
  void saysWhatToDoWhileTheServerHoldsTheEmbeddedDatabase() throws Exception {
    java.nio.file.Path data = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target").toAbsolutePath(), "held-");
    try (EmbeddedDatabase running = EmbeddedDatabase.start(data.resolve("postgres"), 0, false)) {
      environment.remove("DATABASE_URL");
      environment.put("PROMPTLAB_DATA_DIR", data.toString());
      environment.put(CreateAccountCommand.PASSWORD_VARIABLE, "a long enough secret");
      assertEquals(1, run("create-account", "eva@example.com"));
      assertTrue(output().contains("is in use by another PromptLab process (pid " + ProcessHandle.current().pid() + ")"),
        output());
      assertTrue(output().contains("/admin/trainers"), output());
    }
  }
}
