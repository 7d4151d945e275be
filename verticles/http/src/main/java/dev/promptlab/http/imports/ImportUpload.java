package dev.promptlab.http.imports;

import dev.promptlab.http.web.Principal;
import java.util.Map;

/**
 * What {@code POST /api/admin/imports} received: the manifest's name and spooled file, the number of its first row
 * (a manifest sent in parts numbers each part's rows as in the whole), the spooled image files by the normalised
 * path the manifest names them with, and who sent them.
 */
public record ImportUpload(String manifestName, String manifestFile, int firstRow, Map<String, String> files,
                           Principal caller) {

  public ImportUpload {
    files = Map.copyOf(files);
  }
}
