package dev.promptlab.http.ui;

import dev.promptlab.http.api.OpenApiDocument;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api-docs}: the operations of the OpenAPI document of {@code /api/v1}, by tag, in the page's language
 * (an operation's {@code x-summary-es} on the Spanish page), with a link to the document itself. Rendered from the
 * served document, so the page cannot describe an API other than the one served.
 */
public final class ApiDocsPage {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  private final PageRenderer pages;
  private final List<Map<String, Object>> operations;
  private final String title;
  private final String description;

  public ApiDocsPage(PageRenderer pages, OpenApiDocument document) {
    this.pages = pages;
    JsonObject json = document.json();
    this.operations = operations(json);
    this.title = json.getJsonObject("info").getString("title");
    this.description = json.getJsonObject("info").getString("description");
  }

  public void page(RoutingContext ctx) {
    String lang = Language.of(ctx);
    List<Map<String, Object>> shown = new ArrayList<>(operations.size());
    for (Map<String, Object> operation : operations) {
      Map<String, Object> row = new LinkedHashMap<>(operation);
      row.put("summary", "es".equals(lang) ? operation.get("summary_es") : operation.get("summary_en"));
      shown.add(row);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("operations", shown);
    view.put("api_title", title);
    view.put("api_description", description);
    pages.page(ctx, "api-docs", view);
  }

  private static List<Map<String, Object>> operations(JsonObject document) {
    List<Map<String, Object>> list = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!METHODS.contains(method)) {
          continue;
        }
        JsonObject operation = item.getJsonObject(method);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("method", method.toUpperCase(Locale.ROOT));
        row.put("path", path);
        row.put("id", operation.getString("operationId"));
        row.put("tag", operation.getJsonArray("tags", new JsonArray()).getString(0));
        row.put("summary_en", operation.getString("summary"));
        row.put("summary_es", operation.getString("x-summary-es", operation.getString("summary")));
        row.put("statuses", String.join(" · ", operation.getJsonObject("responses").fieldNames()));
        JsonObject body = operation.getJsonObject("requestBody");
        row.put("body", body == null ? null : String.join(", ", body.getJsonObject("content").fieldNames()));
        list.add(row);
      }
    }
    return List.copyOf(list);
  }
}
