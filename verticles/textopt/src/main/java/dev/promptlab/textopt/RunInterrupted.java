package dev.promptlab.textopt;

/**
 * Ends a run's work between two model calls without it being a failure: the run was cancelled, its budget is spent,
 * or the verticle is stopping (the run then stays {@code running} in the database and resumes on the next start).
 */
final class RunInterrupted extends RuntimeException {

  enum Why { CANCELLED, BUDGET, STOPPING }

  private final Why why;

  RunInterrupted(Why why) {
    super(why.name().toLowerCase(java.util.Locale.ROOT), null, false, false);
    this.why = why;
  }

  Why why() {
    return why;
  }
}
