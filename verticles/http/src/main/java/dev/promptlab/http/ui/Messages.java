package dev.promptlab.http.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The trainer page's texts: one bundle per language ({@code i18n/messages_<lang>.properties}, UTF-8),
 * Spanish first and default. Loaded once at start, on a worker.
 */
public final class Messages {

  public static final List<String> LANGUAGES = List.of("es", "en");
  public static final String DEFAULT_LANGUAGE = "es";

  private final Map<String, Map<String, String>> bundles;

  private Messages(Map<String, Map<String, String>> bundles) {
    this.bundles = bundles;
  }

  /** Reads every bundle from the class path; fails when one is missing or their keys differ. */
  public static Messages load() {
    Map<String, Map<String, String>> bundles = new TreeMap<>();
    for (String lang : LANGUAGES) {
      bundles.put(lang, read("i18n/messages_" + lang + ".properties"));
    }
    if (!bundles.get("es").keySet().equals(bundles.get("en").keySet())) {
      throw new IllegalStateException("the message bundles do not have the same keys");
    }
    return new Messages(bundles);
  }

  private static Map<String, String> read(String resource) {
    try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing message bundle " + resource);
      }
      Properties properties = new Properties();
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      Map<String, String> texts = new TreeMap<>();
      properties.forEach((k, v) -> texts.put((String) k, (String) v));
      return Map.copyOf(texts);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /** The texts of {@code lang}, Spanish for an unknown language. */
  public Map<String, String> of(String lang) {
    return bundles.getOrDefault(lang, bundles.get(DEFAULT_LANGUAGE));
  }
}
