package dev.promptlab.generation.image;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The colour-grade nudges a prompt asks for, read from a small vocabulary of photographic terms, and
 * a stable hash of the whole text so that rewording a prompt varies the seeded noise. Terms in the
 * negative prompt count against their direction. Each nudge lies in (-1, 1).
 */
record PromptStyle(double warmth, double brightness, double saturation, long textHash) {

  private enum Axis { WARMTH, BRIGHTNESS, SATURATION }

  private record Term(Axis axis, int direction) {
  }

  private static final Map<String, Term> VOCABULARY = Map.ofEntries(
    Map.entry("warm", new Term(Axis.WARMTH, 1)), Map.entry("golden", new Term(Axis.WARMTH, 1)),
    Map.entry("sunset", new Term(Axis.WARMTH, 1)), Map.entry("cozy", new Term(Axis.WARMTH, 1)),
    Map.entry("cosy", new Term(Axis.WARMTH, 1)), Map.entry("candlelight", new Term(Axis.WARMTH, 1)),
    Map.entry("cool", new Term(Axis.WARMTH, -1)), Map.entry("cold", new Term(Axis.WARMTH, -1)),
    Map.entry("overcast", new Term(Axis.WARMTH, -1)), Map.entry("moonlight", new Term(Axis.WARMTH, -1)),
    Map.entry("bright", new Term(Axis.BRIGHTNESS, 1)), Map.entry("airy", new Term(Axis.BRIGHTNESS, 1)),
    Map.entry("daylight", new Term(Axis.BRIGHTNESS, 1)), Map.entry("sunlit", new Term(Axis.BRIGHTNESS, 1)),
    Map.entry("overexposed", new Term(Axis.BRIGHTNESS, 1)), Map.entry("moody", new Term(Axis.BRIGHTNESS, -1)),
    Map.entry("dim", new Term(Axis.BRIGHTNESS, -1)), Map.entry("dark", new Term(Axis.BRIGHTNESS, -1)),
    Map.entry("night", new Term(Axis.BRIGHTNESS, -1)), Map.entry("underexposed", new Term(Axis.BRIGHTNESS, -1)),
    Map.entry("vibrant", new Term(Axis.SATURATION, 1)), Map.entry("vivid", new Term(Axis.SATURATION, 1)),
    Map.entry("saturated", new Term(Axis.SATURATION, 1)), Map.entry("oversaturated", new Term(Axis.SATURATION, 1)),
    Map.entry("colorful", new Term(Axis.SATURATION, 1)), Map.entry("colourful", new Term(Axis.SATURATION, 1)),
    Map.entry("muted", new Term(Axis.SATURATION, -1)), Map.entry("desaturated", new Term(Axis.SATURATION, -1)),
    Map.entry("washed", new Term(Axis.SATURATION, -1)), Map.entry("monochrome", new Term(Axis.SATURATION, -1)));

  private static final Pattern WORD_SEPARATOR = Pattern.compile("[^\\p{L}]+");

  static PromptStyle of(String prompt, String negativePrompt) {
    int[] votes = new int[Axis.values().length];
    count(prompt, 1, votes);
    count(negativePrompt, -1, votes);
    return new PromptStyle(squash(votes[Axis.WARMTH.ordinal()]), squash(votes[Axis.BRIGHTNESS.ordinal()]),
      squash(votes[Axis.SATURATION.ordinal()]), fnv1a(prompt + '\u0000' + negativePrompt));
  }

  private static void count(String text, int sign, int[] votes) {
    for (String word : WORD_SEPARATOR.split(text.toLowerCase(Locale.ROOT))) {
      Term term = VOCABULARY.get(word);
      if (term != null) {
        votes[term.axis().ordinal()] += sign * term.direction();
      }
    }
  }

  private static double squash(int votes) {
    return Math.tanh(votes * 0.5);
  }

  private static long fnv1a(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xFF;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
