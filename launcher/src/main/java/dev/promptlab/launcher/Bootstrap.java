package dev.promptlab.launcher;

import dev.promptlab.database.DatabaseSettings;
import dev.promptlab.database.EmbeddedDatabase;
import dev.promptlab.database.SchemaMigrations;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the server and the command-line tools share: reading the configuration and opening the database. */
final class Bootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  /** A database ready to use; {@code embedded} is set when this process started it and must stop it. */
  record Database(DatabaseSettings settings, EmbeddedDatabase embedded) implements AutoCloseable {

    @Override
    public void close() {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private Bootstrap() {
  }

  /** {@code PROMPTLAB_CONFIG} names another file; the default is {@code conf/promptlab.yaml}. */
  static String defaultConfigPath() {
    String path = System.getenv("PROMPTLAB_CONFIG");
    return path == null || path.isBlank() ? "conf/promptlab.yaml" : path;
  }

  /**
   * Reads the YAML file and the environment through vertx-config, fresh on every call.
   *
   * @param environment used instead of the process environment when not null (tests)
   */
  static Future<JsonObject> loadConfig(Vertx vertx, String path, Map<String, String> environment) {
    ConfigStoreOptions file = new ConfigStoreOptions().setType("file").setFormat("yaml").setOptional(false)
      .setConfig(new JsonObject().put("path", path));
    Future<JsonObject> fileConfig = Files.isRegularFile(Path.of(path))
      ? read(vertx, file)
      : Future.failedFuture(new IllegalArgumentException("configuration file not found: " + Path.of(path).toAbsolutePath()));
    Future<Map<String, String>> env = environment != null
      ? Future.succeededFuture(environment)
      : read(vertx, new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true)))
        .map(Bootstrap::strings);
    return Future.all(fileConfig, env)
      .compose(all -> {
        try {
          return Future.succeededFuture(LauncherSettings.resolve(all.resultAt(0), all.resultAt(1)));
        } catch (IllegalArgumentException e) {
          return Future.failedFuture(e);
        }
      });
  }

  static Map<String, String> strings(JsonObject json) {
    return json.stream().filter(e -> e.getValue() != null)
      .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
  }

  private static Future<JsonObject> read(Vertx vertx, ConfigStoreOptions store) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(0).addStore(store));
    return retriever.getConfig().andThen(ar -> retriever.close());
  }

  static Path dataDir(JsonObject conf) {
    return Path.of(conf.getString("data_dir", "./data")).toAbsolutePath().normalize();
  }

  /**
   * Blocking: connects to {@code database.url}, or starts the embedded PostgreSQL under the data
   * directory when there is none, then brings the schema up to date.
   */
  static Database openDatabase(JsonObject conf) throws java.io.IOException {
    Path dataDir = dataDir(conf);
    Files.createDirectories(dataDir);
    JsonObject db = conf.getJsonObject("database", new JsonObject());
    String url = db.getString("url", "");
    Database database;
    if (url.isBlank()) {
      LOG.info("No DATABASE_URL: starting the embedded PostgreSQL in {}", dataDir.resolve("postgres"));
      EmbeddedDatabase embedded = EmbeddedDatabase.start(dataDir.resolve("postgres"), db.getInteger("embedded_port", 0), false);
      database = new Database(embedded.settings(), embedded);
    } else {
      database = new Database(DatabaseSettings.fromUrl(url), null);
    }
    try {
      LOG.info("Database {}; schema at version {}", database.settings(), SchemaMigrations.migrate(database.settings()));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return database;
  }
}
