package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/** Who asks for an admin action on the prompt store, as recorded with it; {@code admin} when nobody is named. */
final class Requester {

  static final int MAX_LENGTH = 320;
  static final String ANONYMOUS = "admin";

  private Requester() {
  }

  static String read(JsonObject json) {
    String by = RequestFields.boundedString(json, "requested_by", MAX_LENGTH);
    return by == null ? ANONYMOUS : by;
  }
}
