package dev.promptlab.optimizer.model;

/** The surrogate model cannot answer (numerical failure, too little or invalid data). */
public final class ModelFailure extends RuntimeException {

  public ModelFailure(String message) {
    super(message);
  }
}
