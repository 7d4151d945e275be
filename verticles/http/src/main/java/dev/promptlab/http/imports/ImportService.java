package dev.promptlab.http.imports;

import dev.promptlab.contract.PromptVersionSummary;
import dev.promptlab.contract.RatedOption;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.StoreImportedRequest;
import dev.promptlab.contract.StoredImportedPair;
import dev.promptlab.http.training.ExperimentIds;
import dev.promptlab.http.training.Neighbours;
import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports historical enhancements from a manifest and its images: reads and checks the manifest whole (refused
 * whole when it is not one), checks every row, then stores the valid rows a few at a time in manifest order — images
 * through the generation verticle, the experiment, option, rating and provenance in one transaction — and
 * publishes {@link RatingsRecorded} after each, as a trainer's rating does. Answers the report of what was taken,
 * what was there already and what was refused (row, field, error code, message). One import at a time per
 * instance: each holds the images of {@value #ROWS_IN_FLIGHT} rows in memory at most, and its rating transactions
 * queue behind the trainers' ones.
 */
public final class ImportService {

  private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);
  private static final int LATEST = 50;
  private static final int ROWS_IN_FLIGHT = 4;

  private final Vertx vertx;
  private final Neighbours neighbours;
  private final ImportStore store;
  private final int maxRows;
  private boolean running;

  public ImportService(Vertx vertx, Neighbours neighbours, Pool pool, int maxRows) {
    this.vertx = vertx;
    this.neighbours = neighbours;
    this.store = new ImportStore(pool);
    this.maxRows = maxRows;
  }

  /** Runs an import to its end and answers its report (also kept for {@link #report}). */
  public Future<JsonObject> run(ImportUpload upload) {
    if (running) {
      return Future.failedFuture(ApiError.conflict("an import is running on this server; send this one when it has"
        + " finished"));
    }
    running = true;
    long started = System.nanoTime();
    return vertx.executeBlocking(() -> read(upload), false)
      .compose(read -> neighbours.promptVersions().compose(versions -> {
        Set<String> names = versions.versions().stream().map(PromptVersionSummary::version).collect(Collectors.toSet());
        RowValidator validator = new RowValidator(names, upload.files().keySet());
        List<ImportRow> valid = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        for (Manifest.ManifestRow row : read.manifest().rows()) {
          RowValidator.Checked checked = validator.check(row);
          if (checked.row() != null) {
            valid.add(checked.row());
          }
          refused.addAll(checked.refusals());
        }
        String importedBy = upload.caller().name();
        return store.begin(upload.manifestName() == null ? "manifest" : upload.manifestName(), read.sha256(),
            read.manifest().format(), importedBy, upload.firstRow(), read.manifest().rows().size())
          .recover(failure -> Future.failedFuture(storageFailure(failure, "the import could not be recorded")))
          .compose(importId -> {
            Run run = new Run(importId, importedBy, upload.files(), refused);
            return storeFrom(run, valid, 0)
              .compose(done -> finish(run, upload.firstRow(), read.manifest().rows().size(), started));
          });
      }))
      .eventually(() -> {
        running = false;
        return Future.succeededFuture();
      });
  }

  /**
   * A relative path as the manifest and the upload both name an image: {@code /} separators, no empty or {@code .}
   * segments; refuses an absolute path and one that leaves the manifest's folder.
   */
  public static String normalisePath(String path) {
    return RowValidator.normalisePath(path);
  }

  /** The report of one import; 404 when there is none with this id. */
  public Future<JsonObject> report(long importId) {
    return store.report(importId)
      .recover(failure -> Future.failedFuture(storageFailure(failure, "the import could not be read")))
      .compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiError.notFound("no import " + importId))));
  }

  /** The latest imports, newest first. */
  public Future<JsonObject> latest() {
    return store.latest(LATEST)
      .recover(failure -> Future.failedFuture(storageFailure(failure, "the imports could not be read")))
      .map(list -> new JsonObject().put("imports", list));
  }

  private record Read(Manifest manifest, String sha256) {
  }

  /** Blocking: reads and parses the spooled manifest. */
  private Read read(ImportUpload upload) throws IOException {
    byte[] bytes = Files.readAllBytes(Path.of(upload.manifestFile()));
    try {
      return new Read(Manifest.parse(upload.manifestName(), bytes, maxRows, upload.firstRow()),
        RowIdentity.sha256(bytes));
    } catch (ManifestRefused refused) {
      throw refused.tooLarge() ? ApiError.tooLarge(refused.getMessage()) : ApiError.badRequest(refused.getMessage());
    }
  }

  /** What one import has done so far. */
  private static final class Run {
    final long importId;
    final String importedBy;
    final Map<String, String> files;
    final List<Refusal> refused;
    /** Row identities of this manifest with the first row of each, to name the row a duplicate repeats. */
    final Map<String, Integer> seen = new HashMap<>();
    int accepted;
    int alreadyImported;

    Run(long importId, String importedBy, Map<String, String> files, List<Refusal> refused) {
      this.importId = importId;
      this.importedBy = importedBy;
      this.files = files;
      this.refused = refused;
    }
  }

  // A few rows at a time: their images are stored in parallel (file writes and commits wait on the disk, not the
  // processor), while the memory held stays bounded. Rating transactions still queue one behind the other.
  private Future<Void> storeFrom(Run run, List<ImportRow> rows, int index) {
    if (index >= rows.size()) {
      return Future.succeededFuture();
    }
    List<ImportRow> window = rows.subList(index, Math.min(rows.size(), index + ROWS_IN_FLIGHT));
    return vertx.executeBlocking(() -> read(run, window), false).compose(read -> {
      List<Future<Void>> stored = new ArrayList<>();
      // In manifest order, on the event loop: a repeated row is always the later one, whatever order the stores
      // below finish in.
      for (int i = 0; i < window.size(); i++) {
        ImportRow row = window.get(i);
        ReadRow files = read.get(i);
        Future<Void> outcome = files.failure() == null ? storeRow(run, row, files.files())
          : Future.failedFuture(files.failure());
        stored.add(outcome.recover(failure -> {
          run.refused.add(refusalOf(row, failure));
          return Future.succeededFuture();
        }));
      }
      return Future.join(stored);
    }).transform(done -> storeFrom(run, rows, index + ROWS_IN_FLIGHT));
  }

  private record RowFiles(Buffer original, Buffer enhanced, String key) {
  }

  /** One row's images and identity, or why they could not be read. */
  private record ReadRow(RowFiles files, Exception failure) {
  }

  /** Blocking: each row's images and identity, in the window's order. */
  private static List<ReadRow> read(Run run, List<ImportRow> window) {
    List<ReadRow> read = new ArrayList<>();
    for (ImportRow row : window) {
      try {
        byte[] original = Files.readAllBytes(Path.of(run.files.get(row.originalPath())));
        byte[] enhanced = Files.readAllBytes(Path.of(run.files.get(row.enhancedPath())));
        String key = RowIdentity.of(row, RowIdentity.sha256(original), RowIdentity.sha256(enhanced));
        read.add(new ReadRow(new RowFiles(Buffer.buffer(original), Buffer.buffer(enhanced), key), null));
      } catch (IOException | RuntimeException e) {
        read.add(new ReadRow(null, e));
      }
    }
    return read;
  }

  private Future<Void> storeRow(Run run, ImportRow row, RowFiles files) {
    Integer earlier = run.seen.putIfAbsent(files.key(), row.row());
    if (earlier != null) {
      run.refused.add(new Refusal(row.row(), Refusal.WHOLE_ROW, "conflict", "row " + row.row() + " repeats row "
        + earlier + " (the same images, settings and rating)"));
      return Future.succeededFuture();
    }
    return store.imported(files.key()).compose(already -> {
      if (already) {
        run.alreadyImported++;
        return Future.succeededFuture();
      }
      JsonObject provenance = new JsonObject().put("import_id", run.importId).put("row", row.row());
      StoreImportedRequest request = new StoreImportedRequest(files.original(), fileName(row.originalPath()),
        files.enhanced(), fileName(row.enhancedPath()), provenance);
      return neighbours.storeImported(request).compose(images -> save(run, row, files.key(), images));
    });
  }

  private Future<Void> save(Run run, ImportRow row, String key, StoredImportedPair images) {
    String experimentId = ExperimentIds.next();
    return store.save(run.importId, row, key, experimentId, run.importedBy, images).map(saved -> {
      if (saved.isEmpty()) {
        run.alreadyImported++;
        return null;
      }
      run.accepted++;
      String rater = row.ratedBy() == null ? run.importedBy : row.ratedBy();
      RatedOption rated = new RatedOption(saved.get().ratingId(), "A", row.parameters(), row.promptVersion(), null,
        row.rating(), row.comment(), rater);
      neighbours.ratingsRecorded(new RatingsRecorded(experimentId, row.mode(), List.of(rated),
        saved.get().samplesCollected()));
      return null;
    });
  }

  private Future<JsonObject> finish(Run run, int firstRow, int rows, long started) {
    run.refused.sort(Comparator.comparingInt(Refusal::row));
    JsonArray refused = new JsonArray();
    run.refused.forEach(r -> refused.add(r.toJson()));
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    JsonObject report = new JsonObject().put("import_id", run.importId).put("status", "finished")
      .put("first_row", firstRow).put("rows", rows)
      .put("accepted", run.accepted).put("already_imported", run.alreadyImported).put("refused", refused)
      .put("duration_ms", durationMs);
    LOG.info("import {} by {}: {} rows, {} accepted, {} already imported, {} refusals in {} ms", run.importId,
      run.importedBy, rows, run.accepted, run.alreadyImported, run.refused.size(), durationMs);
    // The rows are stored whatever happens to the record of the import: the report is answered either way.
    return store.finish(run.importId, run.accepted, run.alreadyImported, run.refused)
      .onFailure(failure -> LOG.error("the report of import {} could not be stored", run.importId, failure))
      .transform(ignored -> Future.succeededFuture(report));
  }

  private static Refusal refusalOf(ImportRow row, Throwable failure) {
    if (failure instanceof ApiError error) {
      String field = StoreImportedRequest.refusedImage(error.getMessage());
      String message = field == null ? error.getMessage() : error.getMessage().substring(field.length() + 2);
      return new Refusal(row.row(), field == null ? Refusal.WHOLE_ROW : field, error.code(), message);
    }
    if (failure instanceof NoSuchFileException) {
      return new Refusal(row.row(), Refusal.WHOLE_ROW, "timeout",
        "the uploaded files were discarded when the request ended before the import; send the row again");
    }
    ApiError storage = storageFailure(failure, "the row could not be stored");
    return new Refusal(row.row(), Refusal.WHOLE_ROW, storage.code(), storage.getMessage());
  }

  private static ApiError storageFailure(Throwable failure, String what) {
    if (failure instanceof ApiError error) {
      return error;
    }
    LOG.error("import: {}", what, failure);
    return new ApiError(503, "storage_failed", what);
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
