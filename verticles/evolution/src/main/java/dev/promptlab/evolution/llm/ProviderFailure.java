package dev.promptlab.evolution.llm;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.FailureCodes;

/**
 * An evolution provider could not answer: an HTTP error, a timeout, an unreadable response, or an open circuit
 * breaker ({@link #unavailable()}: the call was not even attempted). The message never holds a secret.
 */
public final class ProviderFailure extends BusFailure {

  private final boolean unavailable;

  public ProviderFailure(String message, boolean unavailable) {
    super(unavailable ? FailureCodes.PROVIDER_UNAVAILABLE : FailureCodes.PROVIDER_FAILED, message);
    this.unavailable = unavailable;
  }

  public boolean unavailable() {
    return unavailable;
  }
}
