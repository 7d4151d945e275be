package dev.promptlab.textopt.bench;

import static dev.promptlab.textopt.bench.FailureMode.CASING;
import static dev.promptlab.textopt.bench.FailureMode.DATE_FORMAT;
import static dev.promptlab.textopt.bench.FailureMode.INVENTED;
import static dev.promptlab.textopt.bench.FailureMode.VERBOSE;
import static dev.promptlab.textopt.bench.FailureMode.WRONG_PARTY;

import java.util.List;

/**
 * The instructions the simulated optimizer writes from, with their hidden effects. Instructions of the same
 * {@link dev.promptlab.textopt.meta.InstructionKind} help or hurt depending on what they say (a length limit that asks
 * for a full sentence hurts, one that asks for five words helps; a JSON mention that forbids JSON helps), so no
 * feature of the meta-model names an effect one to one.
 */
final class InstructionLibrary {

  static final Sentence TASK = Sentence.of("Extract the value the question asks for from the document.", false, 0,
    "task").coreRule();

  static final List<Sentence> SENTENCES = List.of(
    Sentence.of("Answer with the value only, no other words.", true, 0, "verbose", VERBOSE, 1.6).answerOnlyRule(),
    Sentence.of("Reply with just the extracted text.", true, 0, "verbose", VERBOSE, 1.2).answerOnlyRule(),
    Sentence.of("Do not add explanations or punctuation.", true, 0, "verbose", VERBOSE, 0.9, CASING, 0.2)
      .answerOnlyRule(),
    Sentence.of("Keep the answer under five words.", true, 0, "verbose", VERBOSE, 0.8),
    Sentence.of("Answer in a complete sentence.", true, 0, "verbose", VERBOSE, -1.5),
    Sentence.of("Explain briefly how you found the value.", true, -0.1, "verbose", VERBOSE, -1.8).reasoningRule(),
    Sentence.of("Write dates as YYYY-MM-DD.", true, 0, "date", DATE_FORMAT, 1.8),
    Sentence.of("Use ISO 8601 format for any date.", true, 0, "date", DATE_FORMAT, 1.5),
    Sentence.of("Write dates the way they appear in the document.", true, 0, "date", DATE_FORMAT, -0.6),
    Sentence.of("Write dates like 3 May 2024.", true, 0, "date", DATE_FORMAT, -1.2),
    Sentence.of("Copy names exactly as written, keeping their capitalisation.", true, 0, "casing", CASING, 1.6),
    Sentence.of("Write the answer in lowercase.", true, 0, "casing", CASING, -1.6),
    Sentence.of("Normalise company names.", true, 0, "casing", CASING, -0.7),
    Sentence.of("The supplier is the company that issues the invoice, never the customer.", false, 0, "party",
      WRONG_PARTY, 1.5),
    Sentence.of("Read the whole document before answering.", false, 0, "party", WRONG_PARTY, 0.5, INVENTED, 0.3),
    Sentence.of("Think step by step about which party is which, then give the final answer.", false, -0.2, "party",
      WRONG_PARTY, 1.1).reasoningRule(),
    Sentence.of("The first company named is the supplier.", false, 0, "party", WRONG_PARTY, -1.0),
    Sentence.of("If the value is not in the document, answer NONE.", true, 0, "invented", INVENTED, 1.4),
    Sentence.of("Never invent a value that is not in the text.", false, 0, "invented", INVENTED, 1.0),
    Sentence.of("Always give your best guess.", false, 0, "invented", INVENTED, -1.2),
    Sentence.of("You are a meticulous document-processing assistant.", false, 0.15, "role"),
    Sentence.of("You are a friendly and creative assistant.", false, -0.3, "role", VERBOSE, -0.5),
    Sentence.of("You are an expert accountant.", false, 0.05, "role", WRONG_PARTY, 0.3),
    Sentence.of("Return a JSON object with the key \"value\".", true, 0, "json", VERBOSE, -2.0),
    Sentence.of("Do not wrap the answer in JSON or quotes.", true, 0, "json", VERBOSE, 0.6).answerOnlyRule(),
    Sentence.of("Be helpful and accurate.", false, 0, "filler"),
    Sentence.of("Take care with this task.", false, 0, "filler"),
    Sentence.of("This is important for our business.", false, 0.02, "filler"));

  private InstructionLibrary() {
  }

  /** A worked example taken from a failure: right when it shows the expected answer, harmful when the wrong one. */
  static Sentence example(FailureMode mode, FailureMode.Texts row, boolean right) {
    String answer = right ? row.expected() : row.wrong();
    return Sentence.of("Example: \"" + row.input() + "\" -> " + answer + ".", true, 0, mode.name(), mode,
      right ? 0.9 : -0.8, VERBOSE, right ? 0.3 : 0);
  }

  /**
   * An instruction aimed at one failure, quoting it, as optimizer models write them. The misread one generalises
   * the wrong way.
   */
  static Sentence targeted(FailureMode mode, FailureMode.Texts row, boolean misread) {
    if (misread) {
      return Sentence.of("Answers like \"" + row.wrong() + "\" are fine when the document is unclear.", true, 0,
        mode.name(), mode, -0.8);
    }
    return switch (mode) {
      case VERBOSE -> Sentence.of("Answer \"" + row.expected() + "\", not \"" + row.wrong()
        + "\": the value alone.", true, 0, mode.name(), VERBOSE, 1.4).answerOnlyRule();
      case DATE_FORMAT -> Sentence.of("Write dates as YYYY-MM-DD: \"" + row.wrong() + "\" must be " + row.expected()
        + ".", true, 0, mode.name(), DATE_FORMAT, 1.7);
      case CASING -> Sentence.of("Keep names as written: " + row.expected() + ", not " + row.wrong() + ".", true, 0,
        mode.name(), CASING, 1.5);
      case WRONG_PARTY -> Sentence.of(row.expected() + " issued the invoice; " + row.wrong()
        + " is the customer, never the answer.", false, 0, mode.name(), WRONG_PARTY, 1.3);
      case INVENTED -> Sentence.of("When no supplier is named, answer NONE rather than " + row.wrong() + ".", true, 0,
        mode.name(), INVENTED, 1.3);
    };
  }
}
