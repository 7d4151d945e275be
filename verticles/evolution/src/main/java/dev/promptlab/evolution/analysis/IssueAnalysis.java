package dev.promptlab.evolution.analysis;

import java.util.List;

/**
 * What the analysis read and found: how many samples, how many of them low-rated, how many of those had a
 * comment, and the issues, most frequent first.
 */
public record IssueAnalysis(int samples, int lowRated, int commented, List<Issue> issues) {

  public IssueAnalysis {
    issues = List.copyOf(issues);
  }
}
