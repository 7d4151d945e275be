package dev.promptlab.textopt.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * sacreBLEU's default BLEU tokenisation ({@code 13a}, equivalent to mteval-v13a.pl as used by WMT): unescape four
 * HTML entities, then split punctuation and symbols off words, keeping periods and commas inside numbers and
 * splitting a dash after a digit.
 */
final class Tokenizer13a {

  /** Symbols always split off: the ranges {@code { - ~}, {@code [ - `}, space to {@code &}, {@code ( - +}, {@code : - @}, and {@code /}. */
  private static final Pattern SYMBOL = Pattern.compile("([\\{-\\~\\[-\\`\\u0020-\\&\\(-\\+\\:-\\@\\/])");
  private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
  private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
  private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

  private Tokenizer13a() {
  }

  static List<String> tokenize(String line) {
    String text = line.replace("<skipped>", "")
      .replace("-\n", "")
      .replace("\n", " ")
      .replace("&quot;", "\"")
      .replace("&amp;", "&")
      .replace("&lt;", "<")
      .replace("&gt;", ">");
    // The padding lets the period and comma rules see a neighbour at both ends of the line.
    text = " " + text + " ";
    text = SYMBOL.matcher(text).replaceAll(" $1 ");
    text = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(text).replaceAll("$1 $2 ");
    text = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(text).replaceAll(" $1 $2");
    text = DASH_AFTER_DIGIT.matcher(text).replaceAll("$1 $2 ");
    return PythonText.split(text);
  }
}
