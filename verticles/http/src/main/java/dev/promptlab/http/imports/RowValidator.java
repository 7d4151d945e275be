package dev.promptlab.http.imports;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.contract.StoreImportedRequest;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks the fields of each manifest row against the contract's parameter space, the prompt store's versions and the
 * uploaded files. Every fault of a row is reported (one {@link Refusal} per field); a row with none becomes an
 * {@link ImportRow}.
 */
final class RowValidator {

  static final String API = "api";
  static final String MODE = "mode";
  static final String STRENGTH = "strength";
  static final String GUIDANCE = "guidance_scale";
  static final String CONTROL = "control_weight";
  static final String PROMPT_VERSION = "prompt_version";
  static final String RATING = "rating";
  static final String COMMENTS = "comments";
  static final String RATED_BY = "rated_by";
  static final String RATED_AT = "rated_at";
  static final int MAX_COMMENT = 2000;
  static final int MAX_RATER = 320;

  /** Each field with the other names it may be given under (the seed's names of the parameters). */
  private static final Map<String, List<String>> NAMES = Map.of(
    STRENGTH, List.of(STRENGTH, "init_strength"),
    CONTROL, List.of(CONTROL, "controlnet_weight", "controlnet_conditioning_scale"),
    COMMENTS, List.of(COMMENTS, "comment"));
  private static final List<String> REQUIRED = List.of(StoreImportedRequest.ORIGINAL, StoreImportedRequest.ENHANCED,
    API, STRENGTH, GUIDANCE, CONTROL, PROMPT_VERSION, RATING);

  /** A row's outcome: the valid row, or its refusals. */
  record Checked(ImportRow row, List<Refusal> refusals) {
  }

  private final Set<String> promptVersions;
  private final Set<String> files;

  /**
   * @param promptVersions the versions the prompt store has
   * @param files          the normalised paths of the uploaded images
   */
  RowValidator(Set<String> promptVersions, Set<String> files) {
    this.promptVersions = promptVersions;
    this.files = files;
  }

  /** The required fields none of whose names is among {@code columns} (a CSV header). */
  static List<String> missingColumns(Collection<String> columns) {
    return REQUIRED.stream().filter(field -> names(field).stream().noneMatch(columns::contains)).toList();
  }

  Checked check(Manifest.ManifestRow source) {
    Fields fields = new Fields(source);
    String original = fields.path(StoreImportedRequest.ORIGINAL);
    String enhanced = fields.path(StoreImportedRequest.ENHANCED);
    String api = fields.required(API);
    if (api != null && !ParameterSpace.APIS.contains(api)) {
      fields.refuse(API, "api must be one of " + String.join(", ", ParameterSpace.APIS) + ", got " + api);
      api = null;
    }
    String mode = fields.optional(MODE);
    if (mode == null) {
      mode = ParameterSpace.MODES.get(0);
    } else if (!ParameterSpace.isMode(mode)) {
      fields.refuse(MODE, "mode must be one of " + String.join(", ", ParameterSpace.MODES) + ", got " + mode);
    }
    Double strength = fields.number(STRENGTH, ParameterSpace.STRENGTH_MIN, ParameterSpace.STRENGTH_MAX);
    Double guidance = fields.number(GUIDANCE, ParameterSpace.GUIDANCE_MIN, ParameterSpace.GUIDANCE_MAX);
    Double control = fields.number(CONTROL, ParameterSpace.CONTROL_MIN, ParameterSpace.CONTROL_MAX);
    String version = fields.required(PROMPT_VERSION);
    if (version != null && !promptVersions.contains(version)) {
      fields.refusals.add(new Refusal(source.row(), PROMPT_VERSION, "not_found",
        "the prompt store has no version " + version));
    }
    Integer rating = fields.rating();
    String comment = fields.bounded(COMMENTS, MAX_COMMENT);
    String ratedBy = fields.bounded(RATED_BY, MAX_RATER);
    OffsetDateTime ratedAt = fields.time(RATED_AT);
    if (!fields.refusals.isEmpty()) {
      return new Checked(null, List.copyOf(fields.refusals));
    }
    return new Checked(new ImportRow(source.row(), original, enhanced, mode,
      new GenerationParameters(api, strength, guidance, control), version, rating, comment, ratedBy, ratedAt),
      List.of());
  }

  private static List<String> names(String field) {
    return NAMES.getOrDefault(field, List.of(field));
  }

  /**
   * Normalises a relative path as the manifest and the upload both name a file: {@code /} separators, no empty or
   * {@code .} segments; refuses an absolute path and one that leaves the manifest's folder.
   */
  static String normalisePath(String path) {
    String unified = path.strip().replace('\\', '/');
    if (unified.startsWith("/") || unified.matches("^[A-Za-z]:.*")) {
      throw new IllegalArgumentException("must be a path relative to the manifest, got " + path);
    }
    List<String> segments = new ArrayList<>();
    for (String segment : unified.split("/")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException("may not leave the manifest's folder (..), got " + path);
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("names no file");
    }
    return String.join("/", segments);
  }

  /** The values of one row, read field by field; each fault is added to {@link #refusals}. */
  private final class Fields {

    private final Manifest.ManifestRow source;
    private final List<Refusal> refusals = new ArrayList<>();

    Fields(Manifest.ManifestRow source) {
      this.source = source;
    }

    void refuse(String field, String message) {
      refusals.add(Refusal.invalid(source.row(), field, message));
    }

    /** The field's text under any of its names; null when absent or blank. */
    String optional(String field) {
      String found = null;
      String foundName = null;
      for (String name : names(field)) {
        Object value = source.fields().get(name);
        if (value == null) {
          continue;
        }
        String text;
        if (value instanceof String s) {
          text = s.strip();
        } else if (value instanceof Number n) {
          text = n.toString();
        } else {
          refuse(field, name + " must be text or a number");
          return null;
        }
        if (text.isEmpty()) {
          continue;
        }
        if (found != null && !found.equals(text)) {
          refuse(field, "given as " + foundName + " and as " + name + " with different values");
          return null;
        }
        found = text;
        foundName = name;
      }
      return found;
    }

    String required(String field) {
      String value = optional(field);
      if (value == null && refusals.stream().noneMatch(r -> r.field().equals(field))) {
        refuse(field, field + " is required");
      }
      return value;
    }

    String path(String field) {
      String value = required(field);
      if (value == null) {
        return null;
      }
      String path;
      try {
        path = normalisePath(value);
      } catch (IllegalArgumentException e) {
        refuse(field, field + " " + e.getMessage());
        return null;
      }
      if (!files.contains(path)) {
        refusals.add(new Refusal(source.row(), field, "not_found",
          "no image file " + path + " was sent with the manifest"));
        return null;
      }
      return path;
    }

    Double number(String field, double min, double max) {
      String value = required(field);
      if (value == null) {
        return null;
      }
      double number;
      try {
        number = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        refuse(field, field + " must be a number, got " + value);
        return null;
      }
      if (!(number >= min && number <= max)) {
        refuse(field, field + " must be in [" + min + ", " + max + "], got " + value);
        return null;
      }
      return number;
    }

    Integer rating() {
      String value = required(RATING);
      if (value == null) {
        return null;
      }
      try {
        double number = Double.parseDouble(value);
        if (number == Math.rint(number) && number >= 1 && number <= 5) {
          return (int) number;
        }
      } catch (NumberFormatException e) {
        // answered below, as any other value that is not a whole number of stars
      }
      refuse(RATING, "rating must be an integer 1-5, got " + value);
      return null;
    }

    String bounded(String field, int max) {
      String value = optional(field);
      if (value != null && value.length() > max) {
        refuse(field, field + " may have at most " + max + " characters, has " + value.length());
        return null;
      }
      return value;
    }

    OffsetDateTime time(String field) {
      String value = optional(field);
      if (value == null) {
        return null;
      }
      try {
        return OffsetDateTime.parse(value);
      } catch (DateTimeParseException e) {
        refuse(field, field + " must be an ISO-8601 time with an offset (2024-03-01T10:15:00Z), got "
          + Objects.toString(value));
        return null;
      }
    }
  }
}
