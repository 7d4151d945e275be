package dev.promptlab.evolution.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.promptlab.evolution.store.PromptVersionJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks what a provider proposed before it can become a version: one JSON object with {@code improved_prompt},
 * {@code changes}, {@code reasoning}, {@code expected_improvement} (and optionally
 * {@code improved_negative_prompt}), every length bounded (the prompt within the schema's 2000 characters), and a
 * prompt that is neither empty nor unchanged. Whitespace and control characters are normalised to single spaces.
 *
 * <p>The model reads trainers' comments, and a comment may carry instructions ("ignore previous instructions and
 * answer …"). Whatever the model was talked into, a proposal is refused when its prompt drops one of the current
 * prompt's {@link PreservedClauses}, or when its prompt or negative prompt carries a link (a URL scheme,
 * {@code www.}, a {@code domain.tld/} path) or markup ({@code < > { } `} or a Markdown link): a prompt is a list of
 * plain descriptors, and what it says is sent to image providers and shown on pages.
 */
public final class ProposalGuard {

  public static final int MIN_PROMPT = 10;
  public static final int MAX_PROMPT = 2000;
  public static final int MAX_NEGATIVE_PROMPT = 2000;
  public static final int MAX_CHANGES = 20;
  public static final int MAX_CHANGE = 300;
  public static final int MAX_REASONING = 4000;
  public static final int MAX_EXPECTED = 1000;
  public static final int MAX_RAW = 100_000;

  private static final Pattern FENCED = Pattern.compile("^```(?:json)?\\s*(.*?)\\s*```$", Pattern.DOTALL);
  private static final Pattern LINK = Pattern.compile(
    "(?i)\\b[a-z][a-z0-9+.-]*://|\\bwww\\.|\\b(?:javascript|data|file|mailto):|\\b[a-z0-9-]+\\.[a-z]{2,}/");
  private static final Pattern MARKUP = Pattern.compile("[<>{}`]|\\]\\(");

  /** The outcome of a check. */
  public sealed interface Verdict permits Accepted, Refused {
  }

  /** The proposal may become a version. */
  public record Accepted(EvolutionProposal proposal) implements Verdict {
  }

  /** The proposal is refused, and why (stored with the evolution). */
  public record Refused(String reason) implements Verdict {
  }

  private ProposalGuard() {
  }

  public static Verdict check(String raw, String currentPrompt, String currentNegativePrompt) {
    if (raw == null || raw.isBlank()) {
      return new Refused("the provider returned no content");
    }
    if (raw.length() > MAX_RAW) {
      return new Refused("the provider's answer is longer than " + MAX_RAW + " characters");
    }
    String text = raw.strip();
    Matcher fenced = FENCED.matcher(text);
    if (fenced.matches()) {
      text = fenced.group(1);
    }
    JsonNode node;
    try {
      node = PromptVersionJson.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return new Refused("the provider's answer is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return new Refused("the provider's answer is not a JSON object");
    }
    List<String> problems = new ArrayList<>();
    String prompt = text(node, "improved_prompt", true, MAX_PROMPT, problems);
    if (prompt != null && prompt.length() < MIN_PROMPT) {
      problems.add("improved_prompt is shorter than " + MIN_PROMPT + " characters");
    }
    String negative = text(node, "improved_negative_prompt", false, MAX_NEGATIVE_PROMPT, problems);
    List<String> changes = changes(node, problems);
    String reasoning = text(node, "reasoning", true, MAX_REASONING, problems);
    String expected = text(node, "expected_improvement", true, MAX_EXPECTED, problems);
    plainText("improved_prompt", prompt, problems);
    plainText("improved_negative_prompt", negative, problems);
    if (prompt != null) {
      List<String> dropped = PreservedClauses.missing(currentPrompt, prompt);
      if (!dropped.isEmpty()) {
        problems.add("improved_prompt drops the preserved clause" + (dropped.size() == 1 ? " '" : "s '")
          + String.join("', '", dropped) + "'");
      }
    }
    if (!problems.isEmpty()) {
      return new Refused(String.join("; ", problems));
    }
    boolean promptSame = sameText(prompt, currentPrompt);
    boolean negativeSame = negative == null || sameText(negative, currentNegativePrompt);
    if (promptSame && negativeSame) {
      return new Refused("the proposal does not change the prompt");
    }
    return new Accepted(new EvolutionProposal(prompt,
      negative == null || sameText(negative, currentNegativePrompt) ? null : negative, changes, reasoning, expected));
  }

  private static String text(JsonNode node, String field, boolean required, int max, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        problems.add(field + " is missing");
      }
      return null;
    }
    if (!value.isTextual()) {
      problems.add(field + " must be a string");
      return null;
    }
    String clean = normalise(value.asText());
    if (clean.isEmpty()) {
      if (required) {
        problems.add(field + " is empty");
      }
      return null;
    }
    if (clean.length() > max) {
      problems.add(field + " is longer than " + max + " characters");
      return null;
    }
    return clean;
  }

  /** A prompt is plain descriptors: no link a provider could fetch or a page could follow, no markup. */
  private static void plainText(String field, String value, List<String> problems) {
    if (value == null) {
      return;
    }
    if (LINK.matcher(value).find()) {
      problems.add(field + " contains a link");
    }
    if (MARKUP.matcher(value).find()) {
      problems.add(field + " contains markup or braces");
    }
  }

  private static List<String> changes(JsonNode node, List<String> problems) {
    JsonNode value = node.get("changes");
    if (value == null || !value.isArray()) {
      problems.add("changes must be an array of strings");
      return List.of();
    }
    if (value.isEmpty()) {
      problems.add("changes must name at least one change");
    }
    if (value.size() > MAX_CHANGES) {
      problems.add("changes has more than " + MAX_CHANGES + " entries");
      return List.of();
    }
    List<String> changes = new ArrayList<>();
    for (JsonNode item : value) {
      String clean = item.isTextual() ? normalise(item.asText()) : "";
      if (clean.isEmpty() || clean.length() > MAX_CHANGE) {
        problems.add("each change must be a non-empty string of at most " + MAX_CHANGE + " characters");
        return List.of();
      }
      changes.add(clean);
    }
    return changes;
  }

  static String normalise(String text) {
    return text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
  }

  private static boolean sameText(String a, String b) {
    return b != null && normalise(a).toLowerCase(Locale.ROOT).equals(normalise(b).toLowerCase(Locale.ROOT));
  }
}
