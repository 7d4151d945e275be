package dev.promptlab.textopt.meta;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Kinds of instruction a prompt may contain, recognised by wording. An optimizer model's rewrite mostly adds, drops
 * or rephrases instructions of these kinds, and whether a kind helps depends on the task (asking for steps of
 * reasoning tends to hurt an exact-match extraction and to help arithmetic), which is why the meta-model learns one
 * weight per kind from past runs instead of assuming a direction.
 *
 * <p>The patterns are written in lower case and matched against lower-cased text. They are deliberately coarse:
 * they say that a prompt speaks of, say, length, not whether it asks for shorter or longer answers. English wording
 * only.
 */
public enum InstructionKind {

  /** Constraints on the answer's form: "only", "exactly", "do not include", "format", "plain text", "lowercase". */
  FORMAT_CONSTRAINT("\\b(?:only|exactly|do not (?:add|include|write|use)|don't (?:add|include|write|use)|no other"
    + "|nothing (?:but|else)|format(?:ted)?|plain text|lower ?case|upper ?case|capitali[sz]\\w*|verbatim)\\b"),
  /** Worked examples: "example", "e.g.", "for instance", an input → output arrow, "Input:" / "Output:" pairs. */
  EXAMPLES("\\b(?:examples?|e\\.g\\.|for instance|such as)\\b|->|→|=>|\\binput:|\\boutput:"),
  /** Requests for reasoning before answering. */
  STEP_BY_STEP("\\bstep[- ]by[- ]step\\b|\\bthink\\b|\\breason(?:ing)?\\b|\\bexplain\\w*\\b|\\bfirst,"),
  /** Bounds on the answer's length: words, sentences, characters, "brief", "concise", "short". */
  LENGTH_LIMIT("\\b(?:words?|sentences?|characters?|brief(?:ly)?|concise(?:ly)?|short|long|at most|at least"
    + "|no more than|under \\d+|less than)\\b"),
  /** JSON, schemas, keys and fields of a structured answer. */
  JSON_SCHEMA("\\b(?:json|schema|keys?|fields?|object|array)\\b|\\{"),
  /** A role given to the model: "you are", "act as", "as an expert". */
  ROLE("\\byou are\\b|\\bact as\\b|\\bas an? (?:expert|assistant|specialist)\\b|\\byour (?:role|job|task) is\\b");

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\R+");

  private final Pattern pattern;

  InstructionKind(String regex) {
    this.pattern = Pattern.compile(regex);
  }

  /**
   * How many instructions of each kind the text gives, by ordinal: its sentences (split after . ! ? and at line
   * breaks) that use the kind's wording. Sentences, not matches, so "Think step by step." counts once.
   */
  public static int[] count(String text) {
    InstructionKind[] kinds = values();
    int[] counts = new int[kinds.length];
    // Lower-cased once here so the patterns need no case-insensitive matching, which is several times slower.
    for (String sentence : SENTENCE_END.split(text.toLowerCase(Locale.ROOT))) {
      for (InstructionKind kind : kinds) {
        if (kind.pattern.matcher(sentence).find()) {
          counts[kind.ordinal()]++;
        }
      }
    }
    return counts;
  }
}
