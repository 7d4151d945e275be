package dev.promptlab.http.web;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Request and response bodies of the JSON API. */
public final class JsonBodies {

  private JsonBodies() {
  }

  /** The body as a JSON object; a 400 for an empty body, invalid JSON or anything but an object. */
  public static JsonObject object(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiError.badRequest("the body must be a JSON object");
    }
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ApiError.badRequest("the body is not valid JSON");
    }
    if (!(value instanceof JsonObject json)) {
      throw ApiError.badRequest("the body must be a JSON object");
    }
    return json;
  }

  public static void send(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json; charset=utf-8").end(body.encode());
  }

  /** Sends the body once it is there; a failure goes to the failure handler, which answers it as an API error. */
  public static void send(RoutingContext ctx, Future<JsonObject> answer) {
    answer.onSuccess(body -> send(ctx, body)).onFailure(ctx::fail);
  }
}
