package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** A verticle's answer to its ping ({@link Addresses#ping}): it is deployed and its event loop answers. */
public record PingReply(boolean ok) {

  public static final PingReply OK = new PingReply(true);

  public JsonObject toJson() {
    return new JsonObject().put("ok", ok);
  }

  public static PingReply fromJson(JsonObject json) {
    return new PingReply(json != null && Boolean.TRUE.equals(json.getValue("ok")));
  }
}
