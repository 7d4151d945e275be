package dev.promptlab.evolution.analysis;

import java.util.List;

/** One common issue: what it is, how many low-rated comments mention it, and up to three of them. */
public record Issue(IssueKind kind, int count, List<String> examples) {

  public Issue {
    examples = List.copyOf(examples);
  }
}
