package dev.promptlab.textopt.bench;

/**
 * The simulated loop's settings: the run's own (target, patience, iterations, candidates per iteration) and the
 * held-out rows, margin and evaluation budget of the decision step.
 *
 * @param budget the most candidate-row evaluations a run may spend, the incumbent's first evaluation included
 */
record LoopSettings(int candidates, int heldOutRows, double margin, double target, int patience, int maxIterations,
                    long budget) {
}
