package dev.promptlab.evolution.llm;

/**
 * An evolution provider could not answer: an HTTP error, a timeout, an unreadable response, or an open circuit
 * breaker ({@link #unavailable()}: the call was not even attempted). The message never holds a secret.
 */
public final class ProviderFailure extends RuntimeException {

  private final boolean unavailable;

  public ProviderFailure(String message, boolean unavailable) {
    super(message, null, false, false);
    this.unavailable = unavailable;
  }

  public boolean unavailable() {
    return unavailable;
  }
}
