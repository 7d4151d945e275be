package dev.promptlab.llm;

import java.util.regex.Pattern;

/**
 * Removes keys from text that came from a server or a connection error: providers echo part of a wrong key in
 * their error messages, and those messages reach logs, stored reasons and pages.
 */
final class KeyRedaction {

  /** OpenAI-style ({@code sk-...}), generic ({@code key-...}) and Google API keys ({@code AIza...}). */
  private static final Pattern KEY_LIKE =
    Pattern.compile("\\b(?:sk|key)-[A-Za-z0-9_*\\-]{6,}|\\bAIza[0-9A-Za-z_\\-]{20,}");
  private static final int MAX_TEXT = 300;

  private final String apiKey;

  KeyRedaction(String apiKey) {
    this.apiKey = apiKey;
  }

  /** {@code text} without the key or anything shaped like one, at most {@value #MAX_TEXT} characters. */
  String clean(String text) {
    if (text == null) {
      return "";
    }
    String out = apiKey == null ? text : text.replace(apiKey, "[redacted]");
    out = KEY_LIKE.matcher(out).replaceAll("[redacted]");
    return out.length() <= MAX_TEXT ? out : out.substring(0, MAX_TEXT) + "…";
  }
}
