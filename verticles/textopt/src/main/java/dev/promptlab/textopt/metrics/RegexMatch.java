package dev.promptlab.textopt.metrics;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * 1 when a configured regular expression (Java syntax) matches the whole prediction, surrounding whitespace
 * removed (a chat answer's trailing newline is not content), else 0. The reference is not used.
 *
 * <p>Patterns come from users, and a pattern such as {@code (.*a){12}} backtracks for ages on some inputs. Two
 * bounds keep one row from stalling a run, both deterministic so a score never depends on machine load: outputs
 * longer than {@code maxInputLength} are not matched, and a match may read the output at most {@code stepBudget}
 * times (each character read is a step). Either bound scores 0 with the reason.
 *
 * <p>{@code java.util.regex} recurses once per repetition of a group with alternatives, so {@code (a|b)*} overflows
 * an ordinary thread stack after a few thousand characters. Such a match is retried once on a thread of its own
 * with a large stack; only if that overflows too does the row score 0, with the reason. Callers run metrics on a
 * worker, so waiting for that thread blocks no event loop.
 */
public final class RegexMatch implements Metric {

  public static final String NAME = "regex";
  /** Far above the length of an answer a pattern is written for. */
  public static final int DEFAULT_MAX_INPUT_LENGTH = 20_000;
  /** 250 reads per character of the longest allowed output: ample for patterns that do not backtrack wildly. */
  public static final long DEFAULT_STEP_BUDGET = 5_000_000;
  /** Enough for a group repeated once per character of the longest allowed output; reserved, not committed. */
  static final long LARGE_STACK_BYTES = 512L * 1024 * 1024;

  private final Pattern pattern;
  private final int maxInputLength;
  private final long stepBudget;
  private final long retryStackBytes;

  /**
   * @throws IllegalArgumentException if the pattern does not compile
   */
  public RegexMatch(String pattern) {
    this(pattern, DEFAULT_MAX_INPUT_LENGTH, DEFAULT_STEP_BUDGET);
  }

  /**
   * @throws IllegalArgumentException if the pattern does not compile or a bound is not positive
   */
  public RegexMatch(String pattern, int maxInputLength, long stepBudget) {
    this(pattern, maxInputLength, stepBudget, LARGE_STACK_BYTES);
  }

  RegexMatch(String pattern, int maxInputLength, long stepBudget, long retryStackBytes) {
    Objects.requireNonNull(pattern, "pattern");
    if (maxInputLength < 1 || stepBudget < 1) {
      throw new IllegalArgumentException("the input length and step bounds are positive, got " + maxInputLength
        + " and " + stepBudget);
    }
    try {
      this.pattern = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription() + " near index "
        + e.getIndex() + " of " + pattern, e);
    }
    this.maxInputLength = maxInputLength;
    this.stepBudget = stepBudget;
    this.retryStackBytes = retryStackBytes;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Score score(String prediction, String reference) {
    Objects.requireNonNull(reference, "reference");
    String text = prediction.strip();
    if (text.length() > maxInputLength) {
      return Score.zero("the output is " + text.length() + " characters long; the pattern is tried on at most "
        + maxInputLength);
    }
    try {
      return match(text);
    } catch (StackOverflowError e) {
      // The stack has unwound to here; nothing was left half-done.
      return matchOnLargeStack(text);
    }
  }

  private Score match(String text) {
    try {
      return Score.of(pattern.matcher(new BudgetedText(text, stepBudget)).matches() ? 1.0 : 0.0);
    } catch (BudgetExhausted e) {
      return Score.zero("the pattern needed more than " + stepBudget + " steps on this output (it backtracks "
        + "too much); counted as no match");
    }
  }

  private Score matchOnLargeStack(String text) {
    Score[] result = new Score[1];
    Thread thread = new Thread(null, () -> {
      try {
        result[0] = match(text);
      } catch (StackOverflowError e) {
        result[0] = Score.zero("the pattern recursed too deeply on this output; counted as no match");
      }
    }, "regex-metric-large-stack", retryStackBytes);
    thread.setDaemon(true);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.interrupt();
      return Score.zero("interrupted while matching a deeply recursive pattern");
    }
    // join() makes the thread's write to result visible here; only an unexpected error leaves it empty.
    return Objects.requireNonNull(result[0], "the matching thread ended without a result");
  }

  /** The text as the matcher reads it, one step per character read. Not thread-safe: one per match. */
  private static final class BudgetedText implements CharSequence {

    private final String text;
    private long stepsLeft;

    BudgetedText(String text, long steps) {
      this.text = text;
      this.stepsLeft = steps;
    }

    @Override
    public char charAt(int index) {
      if (--stepsLeft < 0) {
        throw new BudgetExhausted();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private static final class BudgetExhausted extends RuntimeException {

    BudgetExhausted() {
      super(null, null, false, false);
    }
  }
}
