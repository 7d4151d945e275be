package dev.promptlab.evolution.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.evolution.analysis.CommentIssueAnalyzer.RatedComment;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommentIssueAnalyzerTest {

  private final CommentIssueAnalyzer analyzer = new CommentIssueAnalyzer();

  @Test
  void findsIssuesInSpanishAndEnglishWithoutAccents() {
    assertEquals(Set.of(IssueKind.FLAT_MONTAGE), analyzer.issuesIn("Se ve plano, como un montaje"));
    assertEquals(Set.of(IssueKind.LIGHTING), analyzer.issuesIn("La iluminación es muy rara"));
    assertEquals(Set.of(IssueKind.LIGHTING), analyzer.issuesIn("la iluminacion es muy rara"));
    assertEquals(Set.of(IssueKind.DEPTH), analyzer.issuesIn("Falta profundidad"));
    assertEquals(Set.of(IssueKind.BLUR), analyzer.issuesIn("Too blurry"));
    assertEquals(Set.of(IssueKind.GEOMETRY), analyzer.issuesIn("las líneas de la pared están torcidas"));
    assertEquals(Set.of(IssueKind.CGI_LOOK), analyzer.issuesIn("Parece un videojuego"));
    assertEquals(Set.of(IssueKind.NOISE), analyzer.issuesIn("lots of grain and noise"));
  }

  @Test
  void anAspectCountsOnlyWithAComplaint() {
    assertEquals(Set.of(IssueKind.COLOUR), analyzer.issuesIn("Good depth, but colors slightly off"));
    assertEquals(Set.of(), analyzer.issuesIn("Buena iluminación y buena profundidad"));
    assertEquals(Set.of(IssueKind.DEPTH), analyzer.issuesIn("Lacks depth"));
  }

  @Test
  void aDeniedSymptomIsNotAnIssue() {
    assertEquals(Set.of(), analyzer.issuesIn("No está borroso, sin ruido"));
    assertEquals(Set.of(IssueKind.LIGHTING), analyzer.issuesIn("not blurry but too dark"));
  }

  @Test
  void countsCommentsNotMentionsAndReadsOnlyLowRatedSamples() {
    IssueAnalysis analysis = analyzer.analyse(List.of(
      new RatedComment(2, "Se ve plano y plano, sin profundidad"),
      new RatedComment(1, "Flat, looks like a montage"),
      new RatedComment(3, "la luz es falsa"),
      new RatedComment(2, "   "),
      new RatedComment(2, null),
      new RatedComment(5, "a bit flat but lovely")), 3, 10);
    assertEquals(6, analysis.samples());
    assertEquals(5, analysis.lowRated());
    assertEquals(3, analysis.commented());
    Issue first = analysis.issues().get(0);
    assertEquals(IssueKind.FLAT_MONTAGE, first.kind());
    assertEquals(2, first.count());
    assertEquals(List.of("Se ve plano y plano, sin profundidad", "Flat, looks like a montage"), first.examples());
    assertEquals(List.of(IssueKind.FLAT_MONTAGE, IssueKind.DEPTH, IssueKind.LIGHTING, IssueKind.CGI_LOOK),
      analysis.issues().stream().map(Issue::kind).toList());
  }

  @Test
  void keepsTheMostFrequentIssuesAndAFewShortExamples() {
    String longComment = "borroso " + "x".repeat(400);
    IssueAnalysis analysis = analyzer.analyse(List.of(
      new RatedComment(1, longComment), new RatedComment(1, "blurry"), new RatedComment(1, "desenfocado"),
      new RatedComment(1, "fuzzy"), new RatedComment(1, "too dark")), 3, 1);
    assertEquals(1, analysis.issues().size());
    Issue blur = analysis.issues().get(0);
    assertEquals(IssueKind.BLUR, blur.kind());
    assertEquals(4, blur.count());
    assertEquals(3, blur.examples().size());
    assertTrue(blur.examples().get(0).length() <= 200);
  }

  @Test
  void nothingToFindIsAnEmptyList() {
    IssueAnalysis analysis = analyzer.analyse(List.of(new RatedComment(2, "meh")), 3, 5);
    assertTrue(analysis.issues().isEmpty());
    assertEquals(1, analysis.commented());
  }
}
