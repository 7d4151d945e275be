package dev.promptlab.http.ui;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The htmx fragments, compiled once (on a worker, at start) by Pebble with HTML auto-escaping on:
 * every {@code {{ value }}} is escaped unless a template says otherwise, and none does.
 */
public final class Templates {

  static final List<String> NAMES = List.of("login", "trainer", "status", "experiment", "variant", "rated", "error",
    "error-page", "history", "admin", "admin-trainers", "admin-prompts", "admin-reward", "admin-nav", "diff", "account", "token", "token-list", "notice", "reset", "reset-link",
    "not-found", "prompt-text", "skipped", "api-docs", "text-nav", "text-datasets", "text-dataset", "text-prompts",
    "text-prompt", "text-diff", "text-runs", "text-run", "text-run-live");

  private final Map<String, PebbleTemplate> compiled;

  private Templates(Map<String, PebbleTemplate> compiled) {
    this.compiled = compiled;
  }

  /** Compiles every template; blocking (class-path reads and parsing): call it from a worker. */
  public static Templates compile() {
    ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
    loader.setPrefix("templates");
    loader.setSuffix(".peb");
    PebbleEngine engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false)
      .cacheActive(true).build();
    Map<String, PebbleTemplate> compiled = new TreeMap<>();
    for (String name : NAMES) {
      PebbleTemplate template = engine.getTemplate(name);
      // Rendering once also loads the evaluation classes, so the first real request stays quick.
      render(template, Map.of(), Locale.ROOT);
      compiled.put(name, template);
    }
    return new Templates(compiled);
  }

  /** Renders {@code name}; {@code locale} writes the numbers ({@code numberformat}) as the page's language does. */
  public String render(String name, Map<String, Object> context, Locale locale) {
    PebbleTemplate template = compiled.get(name);
    if (template == null) {
      throw new IllegalArgumentException("no template " + name);
    }
    return render(template, context, locale);
  }

  private static String render(PebbleTemplate template, Map<String, Object> context, Locale locale) {
    StringWriter out = new StringWriter();
    try {
      template.evaluate(out, context, locale);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
