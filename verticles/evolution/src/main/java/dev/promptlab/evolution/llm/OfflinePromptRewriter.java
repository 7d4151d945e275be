package dev.promptlab.evolution.llm;

import dev.promptlab.evolution.analysis.Issue;
import dev.promptlab.evolution.analysis.IssueKind;
import dev.promptlab.evolution.store.PromptVersionJson;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The offline provider's rules: each analysed issue maps to descriptors known to counter it (added to the prompt
 * when absent), exclusions for the negative prompt, and for the "looks like a render" issue a rewording of
 * "render" as "photograph". Deterministic: the same input gives the same proposal, with no network.
 * It only adds what is missing, so when everything is already there the proposal is unchanged and the guard
 * refuses it.
 */
public final class OfflinePromptRewriter {

  /** Keeps the prompt well under the stored bound, as the meta-prompt asks. */
  public static final int PROMPT_BUDGET = 1500;

  private record Fix(List<String> promptPhrases, List<String> negativePhrases, Pattern reword, String rewordAs) {
  }

  private static final Map<IssueKind, Fix> FIXES = new EnumMap<>(IssueKind.class);
  /** Used when no issue was found: general photographic realism, one phrase per evolution. */
  private static final List<String> GENERAL = List.of("professional interior photography", "high dynamic range",
    "natural color grading", "realistic light falloff", "subtle lens vignetting");

  static {
    fix(IssueKind.FLAT_MONTAGE, List.of("one coherent real photograph with natural depth",
      "objects grounded with contact shadows"), List.of("flat", "montage", "collage", "pasted-on objects"));
    fix(IssueKind.DEPTH, List.of("realistic depth and perspective", "layered foreground and background"),
      List.of("flat perspective"));
    fix(IssueKind.LIGHTING, List.of("physically accurate natural lighting", "soft realistic shadows with ambient occlusion"),
      List.of("harsh lighting", "overexposed", "underexposed"));
    fix(IssueKind.TEXTURES, List.of("detailed true-to-life material textures", "subtle surface imperfections"),
      List.of("plastic look", "waxy surfaces"));
    fix(IssueKind.BLUR, List.of("tack-sharp fine detail", "crisp edges"), List.of("soft focus", "blur"));
    fix(IssueKind.NOISE, List.of("clean noise-free image"), List.of("noise", "grain", "jpeg artifacts"));
    fix(IssueKind.GEOMETRY, List.of("straight vertical lines", "undistorted architectural geometry"),
      List.of("warped lines", "bent walls", "fisheye distortion"));
    fix(IssueKind.COLOUR, List.of("true-to-life original colours", "neutral white balance"),
      List.of("color shift", "oversaturated", "washed out colors"));
    fix(IssueKind.LAYOUT, List.of("identical layout with every object kept in place"),
      List.of("extra objects", "missing objects", "moved furniture"));
    FIXES.put(IssueKind.CGI_LOOK, new Fix(List.of("professional interior photograph shot on a full-frame camera",
      "natural photographic imperfections"), List.of("cgi", "3d render", "video game graphics", "painting"),
      Pattern.compile("interior design render", Pattern.CASE_INSENSITIVE), "interior design photograph"));
    fix(IssueKind.REFLECTIONS, List.of("accurate reflections on glossy surfaces"), List.of("missing reflections"));
  }

  private static void fix(IssueKind kind, List<String> prompt, List<String> negative) {
    FIXES.put(kind, new Fix(prompt, negative, null, null));
  }

  /** The proposal as the JSON text an LLM would return (so both providers pass the same guard). */
  public String rewrite(EvolutionRequest request) {
    String prompt = request.currentPrompt().strip();
    String negative = request.currentNegativePrompt() == null ? "" : request.currentNegativePrompt().strip();
    List<String> changes = new ArrayList<>();
    int skipped = 0;
    for (Issue issue : request.issues()) {
      Fix fix = FIXES.get(issue.kind());
      String why = " (" + issue.kind().label() + ", " + issue.count() + (issue.count() == 1 ? " comment)" : " comments)");
      if (fix.reword() != null && fix.reword().matcher(prompt).find()) {
        prompt = fix.reword().matcher(prompt).replaceAll(fix.rewordAs());
        changes.add("reworded '" + fix.reword().pattern() + "' as '" + fix.rewordAs() + "'" + why);
      }
      for (String phrase : fix.promptPhrases()) {
        if (!contains(prompt, phrase)) {
          if (prompt.length() + phrase.length() + 2 > PROMPT_BUDGET) {
            skipped++;
            continue;
          }
          prompt = prompt + ", " + phrase;
          changes.add("added '" + phrase + "' to the prompt" + why);
        }
      }
      List<String> added = new ArrayList<>();
      for (String phrase : fix.negativePhrases()) {
        if (!contains(negative, phrase) && negative.length() + phrase.length() + 2 <= PROMPT_BUDGET) {
          negative = negative.isEmpty() ? phrase : negative + ", " + phrase;
          added.add(phrase);
        }
      }
      if (!added.isEmpty()) {
        changes.add("excluded " + added.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "))
          + " in the negative prompt" + why);
      }
    }
    if (request.issues().isEmpty()) {
      for (String phrase : GENERAL) {
        if (!contains(prompt, phrase) && prompt.length() + phrase.length() + 2 <= PROMPT_BUDGET) {
          prompt = prompt + ", " + phrase;
          changes.add("added '" + phrase + "' for general photographic realism (no common issue in the comments)");
          break;
        }
      }
    }
    EvolutionProposal proposal = new EvolutionProposal(prompt, negative, changes.isEmpty()
      ? List.of("no rule applies: every descriptor for the reported issues is already in the prompt") : changes,
      reasoning(request, skipped), expected(request));
    return PromptVersionJson.toCompactString(proposal.toNode());
  }

  private static String reasoning(EvolutionRequest request, int skipped) {
    StringBuilder text = new StringBuilder("Offline rules");
    if (request.issues().isEmpty()) {
      text.append(": no common issue was found in the low-rated comments, so one general photographic-realism"
        + " descriptor is added.");
    } else {
      text.append(" applied to the most frequent issues in the low-rated comments: ")
        .append(request.issues().stream().map(i -> i.kind().label() + " (" + i.count() + ")")
          .collect(Collectors.joining(", ")))
        .append(". Each issue maps to descriptors known to counter it; what the prompt already said is kept,"
          + " and layout, shapes, colours and materials are left as they are.");
    }
    if (skipped > 0) {
      text.append(" ").append(skipped).append(" descriptor(s) were left out to keep the prompt under ")
        .append(PROMPT_BUDGET).append(" characters.");
    }
    return text.toString();
  }

  private static String expected(EvolutionRequest request) {
    if (request.issues().isEmpty()) {
      return "Renders read more like real photographs.";
    }
    return "Fewer low ratings mentioning " + request.issues().stream().map(i -> i.kind().label())
      .collect(Collectors.joining(", ")) + ".";
  }

  private static boolean contains(String text, String phrase) {
    return text.toLowerCase(Locale.ROOT).contains(phrase.toLowerCase(Locale.ROOT));
  }
}
