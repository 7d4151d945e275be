package dev.promptlab.database;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the PostgreSQL database is. {@link #toPgOptions()} gives the map the verticles turn into
 * {@code new PgConnectOptions(new JsonObject(map))}; {@link #jdbcUrl()} is used only by the migration step.
 */
public record DatabaseSettings(String host, int port, String database, String user, String password) {

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The {@code postgresql://user:password@host:port/database} form {@link #fromUrl} reads (it holds the password). */
  public String url() {
    String credentials = encode(user) + (password == null || password.isEmpty() ? "" : ":" + encode(password));
    return "postgresql://" + credentials + "@" + host + ":" + port + "/" + database;
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The PgConnectOptions JSON shape: host, port, database, user, password. */
  public Map<String, Object> toPgOptions() {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("host", host);
    options.put("port", port);
    options.put("database", database);
    options.put("user", user);
    options.put("password", password == null ? "" : password);
    return options;
  }

  /**
   * Parses {@code postgresql://user:password@host:port/database} (also {@code postgres://} and a
   * {@code jdbc:} prefix). The password is never echoed in the error.
   */
  public static DatabaseSettings fromUrl(String url) {
    String rest = url.trim();
    if (rest.startsWith("jdbc:")) {
      rest = rest.substring(5);
    }
    int scheme = rest.indexOf("://");
    if (scheme < 0 || !(rest.startsWith("postgresql") || rest.startsWith("postgres"))) {
      throw new IllegalArgumentException("database URL must look like postgresql://user:password@host:port/database");
    }
    rest = rest.substring(scheme + 3);
    String user = "postgres";
    String password = "";
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String credentials = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = credentials.indexOf(':');
      user = decode(colon < 0 ? credentials : credentials.substring(0, colon));
      password = colon < 0 ? "" : decode(credentials.substring(colon + 1));
    }
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    int slash = rest.indexOf('/');
    String hostPort = slash < 0 ? rest : rest.substring(0, slash);
    String database = slash < 0 || slash == rest.length() - 1 ? "postgres" : rest.substring(slash + 1);
    int colon = hostPort.lastIndexOf(':');
    String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    int port;
    try {
      port = colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("database URL has an invalid port");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("database URL has no host");
    }
    return new DatabaseSettings(host, port, database, user, password);
  }

  private static String decode(String text) {
    return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database + "]";
  }
}
