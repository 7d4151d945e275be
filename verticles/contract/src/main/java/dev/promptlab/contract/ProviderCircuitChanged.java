package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Published by the generation verticle when the circuit breaker in front of an external image provider changes
 * state, and once per such provider when the verticle starts (so a restart reports {@code closed}).
 * {@code state} is {@link #CLOSED} (calls go through), {@link #HALF_OPEN} (the next call is a trial) or
 * {@link #OPEN} (calls are refused).
 */
public record ProviderCircuitChanged(String provider, String state) {

  public static final String CLOSED = "closed";
  public static final String HALF_OPEN = "half_open";
  public static final String OPEN = "open";
  /** Every state, in the order of their gauge values (0, 1, 2). */
  public static final List<String> STATES = List.of(CLOSED, HALF_OPEN, OPEN);

  public JsonObject toJson() {
    return new JsonObject().put("provider", provider).put("state", state);
  }

  public static ProviderCircuitChanged fromJson(JsonObject json) {
    return new ProviderCircuitChanged(json.getString("provider"), json.getString("state"));
  }
}
