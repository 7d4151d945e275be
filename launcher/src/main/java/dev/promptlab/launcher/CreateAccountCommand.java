package dev.promptlab.launcher;

import dev.promptlab.database.DataDirectoryInUseException;
import dev.promptlab.http.accounts.AccountStore;
import dev.promptlab.http.accounts.NewAccount;
import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.http.accounts.Trainer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code java -jar promptlab.jar create-account EMAIL [NAME]}: creates a trainer account from the command
 * line, e.g. the first admin (an account is admin while its email is in {@code TRAINING_ADMIN_EMAILS}).
 * The password comes from {@code PROMPTLAB_ACCOUNT_PASSWORD} or is asked twice on the console. With the
 * embedded database, run it while the server is stopped (the database directory is the server's).
 */
final class CreateAccountCommand {

  static final String NAME = "create-account";
  static final String PASSWORD_VARIABLE = "PROMPTLAB_ACCOUNT_PASSWORD";

  private final Map<String, String> environment;
  private final Supplier<char[]> console;
  private final PrintStream out;
  private final String configPath;

  /**
   * @param environment the process environment (a map in tests)
   * @param console     reads one password from the terminal, or returns null when there is none
   */
  CreateAccountCommand(String configPath, Map<String, String> environment, Supplier<char[]> console, PrintStream out) {
    this.configPath = configPath;
    this.environment = environment;
    this.console = console;
    this.out = out;
  }

  static int main(String[] args) {
    Supplier<char[]> console = () -> System.console() == null ? null : System.console().readPassword("Password: ");
    return new CreateAccountCommand(Bootstrap.defaultConfigPath(), System.getenv(), console, System.out).run(args);
  }

  /** Returns the process exit code: 0 created, 1 refused or failed, 2 usage. */
  int run(String[] args) {
    if (args.length < 2 || args.length > 3) {
      out.println("usage: java -jar promptlab.jar " + NAME + " EMAIL [NAME]");
      return 2;
    }
    String email = args[1];
    String displayName = args.length == 3 ? args[2] : null;
    String password = password();
    if (password == null) {
      out.println("No password: set " + PASSWORD_VARIABLE + " or run this in a terminal.");
      return 1;
    }
    NewAccount account;
    try {
      account = NewAccount.prepare(email, password, displayName, new PasswordHasher(PasswordHasher.DEFAULT_ITERATIONS));
    } catch (IllegalArgumentException e) {
      out.println("Refused: " + e.getMessage());
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject conf = await(Bootstrap.loadConfig(vertx, configPath, environment));
      try (Bootstrap.Database database = Bootstrap.openDatabase(conf)) {
        Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions(new JsonObject(database.settings().toPgOptions())))
          .using(vertx).build();
        try {
          Trainer created = await(new AccountStore(pool).create(account, "command line"));
          out.println("Created the account " + created.email() + ".");
          JsonArray admins = conf.getJsonObject("http", new JsonObject()).getJsonArray("admin_emails", new JsonArray());
          out.println(admins.contains(created.email())
            ? "It is an admin (listed in TRAINING_ADMIN_EMAILS)."
            : "To make it an admin, start the server with TRAINING_ADMIN_EMAILS=" + created.email());
          return 0;
        } finally {
          await(pool.close());
        }
      }
    } catch (Exception e) {
      Throwable cause = e.getCause() != null && e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      out.println("Could not create the account: " + cause.getMessage());
      if (cause instanceof DataDirectoryInUseException) {
        out.println("While the server runs, add the account on /admin/trainers instead"
          + " (or POST /api/admin/trainers with the token in data/admin-token).");
      }
      return 1;
    } finally {
      vertx.close();
    }
  }

  private String password() {
    String fromEnvironment = environment.get(PASSWORD_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment;
    }
    char[] first = console.get();
    if (first == null) {
      return null;
    }
    char[] second = console.get();
    try {
      if (!Arrays.equals(first, second)) {
        out.println("The passwords differ.");
        return null;
      }
      return new String(first);
    } finally {
      Arrays.fill(first, ' ');
      if (second != null) {
        Arrays.fill(second, ' ');
      }
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
