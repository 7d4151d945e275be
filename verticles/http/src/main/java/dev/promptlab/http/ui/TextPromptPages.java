package dev.promptlab.http.ui;

import dev.promptlab.contract.ListRequest;
import dev.promptlab.contract.TextPrompt;
import dev.promptlab.contract.TextPromptDraft;
import dev.promptlab.contract.TextPromptVersion;
import dev.promptlab.contract.TextPromptVersions;
import dev.promptlab.contract.TextPrompts;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.web.AccessGuard;
import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.PathIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text platform's prompts: {@code /text/prompts} lists them with a form for a new one; {@code /text/prompts/:id}
 * shows one with its versions, a form that stores a new version, delete, and the line diff of {@code system_prompt}
 * and {@code output_prompt} between any two versions. Answered by the textopt verticle, as {@code /api/v1/prompts}.
 */
public final class TextPromptPages {

  /** A name already in use is said as such. */
  private static final Map<String, String> NAME_TAKEN = Map.of("conflict", "tprompt_error_name_taken");

  private final Neighbours neighbours;
  private final PageFlow flow;

  public TextPromptPages(Neighbours neighbours, PageRenderer pages) {
    this.neighbours = neighbours;
    this.flow = new PageFlow(pages, Set.of("tprompt_created", "tprompt_saved", "tprompt_unchanged",
      "tprompt_deleted"));
  }

  /** Declares the text prompts' pages' routes; {@code /text/*} is guarded for signed-in accounts before these. */
  public void mount(Router router) {
    router.get("/text/prompts").handler(this::list);
    router.post("/text/prompts").handler(this::create);
    router.get("/text/prompts/:id").handler(this::show);
    router.post("/text/prompts/:id").handler(this::update);
    router.post("/text/prompts/:id/delete").handler(this::delete);
    router.get("/text/prompts/:id/diff").handler(this::diff);
  }

  /** {@code GET /text/prompts}: most recently changed first; without an answer from textopt the page says so. */
  public void list(RoutingContext ctx) {
    String lang = Language.of(ctx);
    Future<TextPrompts> prompts = neighbours.textPrompts(new ListRequest(ListRequest.MAX_LIMIT)).otherwiseEmpty();
    flow.render(ctx, "text-prompts", prompts.map(list -> {
      Map<String, Object> view = new HashMap<>();
      view.put("prompts", list == null ? null : list.prompts().stream().map(p -> prompt(p, lang)).toList());
      return view;
    }));
  }

  /** {@code POST /text/prompts}: a new prompt, then its page. */
  public void create(RoutingContext ctx) {
    PageFlow.redirect(ctx, draft(ctx, null).compose(neighbours::createTextPrompt)
        .recover(failure -> PageFlow.explained(failure, NAME_TAKEN)),
      saved -> "/text/prompts/" + saved.id() + "?flash=tprompt_created");
  }

  /** {@code POST /text/prompts/:id}: a new version (none when nothing changed; a new name alone renames it). */
  public void update(RoutingContext ctx) {
    PageFlow.redirect(ctx, PathIds.number(ctx.pathParam("id"), "text prompt").compose(id -> draft(ctx, id))
        .compose(neighbours::updateTextPrompt).recover(failure -> PageFlow.explained(failure, NAME_TAKEN)),
      saved -> "/text/prompts/" + saved.id() + "?flash=" + (saved.created() ? "tprompt_saved" : "tprompt_unchanged"));
  }

  /** {@code POST /text/prompts/:id/delete}: out of the lists; its versions stay for the runs that used them. */
  public void delete(RoutingContext ctx) {
    PageFlow.redirect(ctx, PathIds.number(ctx.pathParam("id"), "text prompt")
        .compose(id -> neighbours.deleteTextPrompt(id, AccessGuard.principalName(ctx))),
      deleted -> "/text/prompts?flash=tprompt_deleted");
  }

  /**
   * {@code GET /text/prompts/:id}: the prompt, its versions, and the diff that answers the question of the moment:
   * what the newest version changed from its parent (or from the first version, for a version without one).
   */
  public void show(RoutingContext ctx) {
    String lang = Language.of(ctx);
    Future<Long> id = PathIds.number(ctx.pathParam("id"), "text prompt");
    Future<TextPrompt> prompt = id.compose(neighbours::textPrompt);
    Future<TextPromptVersions> versions = id.compose(neighbours::textPromptVersions);
    flow.render(ctx, "text-prompt", Future.all(prompt, versions).map(all -> {
      Map<String, Object> view = new HashMap<>();
      view.put("p", prompt(prompt.result(), lang));
      List<TextPromptVersion> list = versions.result().versions();
      List<Map<String, Object>> shown = new ArrayList<>(list.size());
      list.forEach(v -> shown.add(version(v, lang)));
      view.put("versions", shown);
      if (list.size() > 1) {
        TextPromptVersion newest = list.get(0);
        int from = newest.parentVersion() != null ? newest.parentVersion() : list.get(list.size() - 1).version();
        view.put("diff_from", from);
        view.put("diff_to", newest.version());
        view.put("d", diff(find(list, from), newest));
      }
      return view;
    }));
  }

  /** {@code GET /text/prompts/:id/diff?from=&to=}: the fragment with the diff of two versions. */
  public void diff(RoutingContext ctx) {
    Future<TextPromptVersions> versions = PathIds.number(ctx.pathParam("id"), "text prompt")
      .compose(neighbours::textPromptVersions);
    flow.fragment(ctx, "text-diff", versions.map(all -> Map.of("d", diff(
      find(all.versions(), versionParam(ctx, "from")), find(all.versions(), versionParam(ctx, "to"))))));
  }

  private static int versionParam(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    try {
      return Integer.parseInt(value == null ? "" : value.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a version number").withMessageKey("tprompt_error_version");
    }
  }

  private static TextPromptVersion find(List<TextPromptVersion> versions, int number) {
    return versions.stream().filter(v -> v.version() == number).findFirst()
      .orElseThrow(() -> ApiError.notFound("no version " + number).withMessageKey("tprompt_error_version"));
  }

  /** The diff of both texts from {@code from} to {@code to}, as the template reads it. */
  static Map<String, Object> diff(TextPromptVersion from, TextPromptVersion to) {
    Map<String, Object> view = new HashMap<>();
    view.put("from", from.version());
    view.put("to", to.version());
    view.put("system_prompt", lines(LineDiff.of(from.systemPrompt(), to.systemPrompt())));
    view.put("output_prompt", lines(LineDiff.of(from.outputPrompt(), to.outputPrompt())));
    return view;
  }

  private static Map<String, Object> lines(List<LineDiff.Line> diff) {
    List<Map<String, Object>> lines = new ArrayList<>(diff.size());
    for (LineDiff.Line line : diff) {
      Map<String, Object> view = new HashMap<>();
      view.put("kind", line.kind().name().toLowerCase(java.util.Locale.ROOT));
      view.put("text", line.text());
      view.put("old", line.oldNumber());
      view.put("new", line.newNumber());
      lines.add(view);
    }
    return Map.of("lines", lines, "same", LineDiff.same(diff));
  }

  /**
   * The form's fields as a draft; each refusal carries the key of the page's text. A browser sends a textarea's line
   * breaks as CR LF: they are stored as LF, as the API's callers send them, so an untouched text adds no version.
   */
  private static Future<TextPromptDraft> draft(RoutingContext ctx, Long id) {
    String name = PageFlow.form(ctx, "name");
    String system = text(ctx, "system_prompt");
    String output = text(ctx, "output_prompt");
    if (id == null && name == null) {
      return Future.failedFuture(ApiError.badRequest("name is required").withMessageKey("tprompt_error_name"));
    }
    if (name != null && name.length() > TextPromptDraft.MAX_NAME_LENGTH) {
      return Future.failedFuture(ApiError.badRequest("name must be at most " + TextPromptDraft.MAX_NAME_LENGTH
        + " characters").withMessageKey("tprompt_error_name_length"));
    }
    if (system.isBlank()) {
      return Future.failedFuture(ApiError.badRequest("system_prompt is required").withMessageKey("tprompt_error_system"));
    }
    if (system.length() > TextPromptDraft.MAX_PROMPT_LENGTH || output.length() > TextPromptDraft.MAX_PROMPT_LENGTH) {
      return Future.failedFuture(ApiError.badRequest("system_prompt and output_prompt may have at most "
        + TextPromptDraft.MAX_PROMPT_LENGTH + " characters each").withMessageKey("tprompt_error_length"));
    }
    try {
      return Future.succeededFuture(TextPromptDraft.fromJson(new JsonObject().put("id", id).put("name", name)
        .put("system_prompt", system).put("output_prompt", output)
        .put("requested_by", AccessGuard.principalName(ctx))));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiError.badRequest(e.getMessage()).withMessageKey("tprompt_error_invalid"));
    }
  }

  private static String text(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    return value == null ? "" : value.replace("\r\n", "\n");
  }

  private static Map<String, Object> prompt(TextPrompt prompt, String lang) {
    Map<String, Object> view = ViewModels.of(prompt.toJson());
    view.put("updated_at_text", PageDates.of(prompt.updatedAt(), lang));
    view.put("created_at_text", PageDates.of(prompt.createdAt(), lang));
    return view;
  }

  private static Map<String, Object> version(TextPromptVersion version, String lang) {
    Map<String, Object> view = ViewModels.of(version.toJson());
    view.put("created_at_text", PageDates.of(version.createdAt(), lang));
    return view;
  }
}
