package dev.promptlab.launcher.browser;

import dev.promptlab.http.accounts.NewAccount;
import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.launcher.RunningServer;
import dev.promptlab.testkit.TestDatabase;
import java.util.Map;

/**
 * The whole PromptLab server as {@code java -jar} starts it (see {@link RunningServer}), on the tests'
 * PostgreSQL, with a trainer and an admin account; a test that rates makes a trainer of its own
 * ({@link #newTrainer}), so its history and remembered mode are its alone whatever ran before it.
 */
final class BrowserServer implements AutoCloseable {

  static final String TRAINER = "entrenadora@example.com";
  static final String ADMIN = "admin@example.com";
  static final String PASSWORD = "una contraseña larga";

  private final RunningServer server;

  private BrowserServer(RunningServer server) {
    this.server = server;
  }

  static BrowserServer start() throws Exception {
    return start(Map.of());
  }

  /** The server with {@code environment} added to its own (models to run text-prompt optimisations against, say). */
  static BrowserServer start(Map<String, String> environment) throws Exception {
    TestDatabase.reset();
    Map<String, String> all = new java.util.HashMap<>(environment);
    all.put("TRAINING_ADMIN_EMAILS", ADMIN);
    RunningServer server = RunningServer.startOnTestDatabase(all);
    addAccount(TRAINER);
    addAccount(ADMIN);
    return new BrowserServer(server);
  }

  /** A new trainer account {@code entrenadora-<name>@example.com} with {@link #PASSWORD}; answers its email. */
  static String newTrainer(String name) throws Exception {
    return addAccount("entrenadora-" + name + "@example.com");
  }

  private static String addAccount(String email) throws Exception {
    NewAccount account = NewAccount.prepare(email, PASSWORD, null, new PasswordHasher(10_000));
    TestDatabase.execute("INSERT INTO trainers (email, password_hash, created_by) VALUES ('" + account.email()
      + "', '" + account.passwordHash() + "', 'browser test')");
    return account.email();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port + path;
  }

  @Override
  public void close() {
    server.close();
  }
}
