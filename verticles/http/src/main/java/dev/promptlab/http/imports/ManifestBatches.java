package dev.promptlab.http.imports;

import dev.promptlab.contract.StoreImportedRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * A manifest cut into parts that each fit one request ({@code max_upload_bytes}, {@code max_import_rows} and the
 * server's limit of multipart parts), for a client that sends a large history (the launcher's {@code import}
 * command). Each part is a manifest of the same format holding a run of consecutive rows, sent with the number of
 * its first row, so the server reports and records every row under its number in the whole manifest. The manifest
 * is read with the server's own rules, so both agree on the rows and the image paths.
 */
public final class ManifestBatches {

  /** Bytes a multipart part costs beside its content (boundary and headers), counted generously. */
  private static final long PART_OVERHEAD = 512;

  /**
   * One part: its first row's number, its rows, the manifest text of those rows and the normalised paths of the
   * images they name that exist (a missing file is not sent: the server refuses its row, naming it).
   */
  public record Batch(int firstRow, int rows, byte[] manifest, List<String> paths) {
  }

  private ManifestBatches() {
  }

  /**
   * Cuts {@code manifest} into parts of at most {@code maxRows} rows whose manifest and images take at most
   * {@code maxBytes} (a row whose images alone are larger is a part of its own, for the server to refuse).
   * {@code sizeOf} gives an image's size by its normalised path, or a negative number when there is no such file.
   * Throws {@link IllegalArgumentException} with the server's reason when the manifest is not one.
   */
  public static List<Batch> split(String manifestName, byte[] manifest, int maxRows, long maxBytes,
                                  ToLongFunction<String> sizeOf) {
    Manifest parsed;
    try {
      parsed = Manifest.parse(manifestName, manifest, Integer.MAX_VALUE, 1);
    } catch (ManifestRefused refused) {
      throw new IllegalArgumentException(refused.getMessage(), refused);
    }
    List<String> header = parsed.rows().isEmpty() ? List.of() : List.copyOf(parsed.rows().get(0).fields().keySet());
    List<Batch> batches = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    Set<String> paths = new LinkedHashSet<>();
    long bytes = 0;
    int firstRow = 1;
    for (Manifest.ManifestRow row : parsed.rows()) {
      String line = Manifest.CSV.equals(parsed.format()) ? csvLine(header, row.fields())
        : new JsonObject(row.fields()).encode();
      Set<String> rowPaths = new LinkedHashSet<>(images(row.fields(), sizeOf));
      rowPaths.removeAll(paths);
      long rowBytes = line.length() * 4L + rowPaths.stream().mapToLong(p -> sizeOf.applyAsLong(p) + PART_OVERHEAD)
        .sum();
      if (!lines.isEmpty() && (lines.size() == maxRows || bytes + rowBytes > maxBytes)) {
        batches.add(batch(parsed.format(), header, firstRow, lines, paths));
        firstRow = row.row();
        lines.clear();
        paths.clear();
        bytes = 0;
        rowPaths = new LinkedHashSet<>(images(row.fields(), sizeOf));
        rowBytes = line.length() * 4L + rowPaths.stream().mapToLong(p -> sizeOf.applyAsLong(p) + PART_OVERHEAD)
          .sum();
      }
      lines.add(line);
      paths.addAll(rowPaths);
      bytes += rowBytes;
    }
    if (!lines.isEmpty()) {
      batches.add(batch(parsed.format(), header, firstRow, lines, paths));
    }
    return batches;
  }

  private static Batch batch(String format, List<String> header, int firstRow, List<String> lines, Set<String> paths) {
    StringBuilder text = new StringBuilder();
    if (Manifest.CSV.equals(format)) {
      text.append(String.join(",", header.stream().map(ManifestBatches::csvField).toList())).append("\r\n");
    }
    lines.forEach(line -> text.append(line).append(Manifest.CSV.equals(format) ? "\r\n" : "\n"));
    return new Batch(firstRow, lines.size(), text.toString().getBytes(StandardCharsets.UTF_8), List.copyOf(paths));
  }

  /** The existing images a row names, by normalised path; a path the server would refuse is left to it. */
  private static List<String> images(Map<String, Object> fields, ToLongFunction<String> sizeOf) {
    List<String> found = new ArrayList<>();
    for (String field : new String[] {StoreImportedRequest.ORIGINAL, StoreImportedRequest.ENHANCED}) {
      if (fields.get(field) instanceof String path && !path.isBlank()) {
        try {
          String normalised = RowValidator.normalisePath(path);
          if (sizeOf.applyAsLong(normalised) >= 0) {
            found.add(normalised);
          }
        } catch (IllegalArgumentException refused) {
          // the server refuses this row and says why
        }
      }
    }
    return found;
  }

  private static String csvLine(List<String> header, Map<String, Object> fields) {
    return String.join(",", header.stream().map(column -> csvField(String.valueOf(fields.get(column)))).toList());
  }

  private static String csvField(String value) {
    return "\"" + value.replace("\"", "\"\"") + "\"";
  }
}
