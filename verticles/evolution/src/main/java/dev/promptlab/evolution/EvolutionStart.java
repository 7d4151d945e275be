package dev.promptlab.evolution;

/** An evolution that was recorded as running and is to be carried out. */
record EvolutionStart(long id, String trigger, String parent, int atSample, Double parentAvg, int parentCount) {
}
