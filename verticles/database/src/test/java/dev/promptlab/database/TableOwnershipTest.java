package dev.promptlab.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the code to the owner list in {@code docs/architecture.md}: every table the migrations create has exactly
 * one owner module, only that module's main sources write it (INSERT, UPDATE, DELETE, TRUNCATE, ALTER, COPY, LOCK),
 * and other modules read it only through a view its owner publishes. The SQL is found in the string literals of
 * each module's main Java sources, so a statement built from several concatenated pieces is seen whole.
 */
class TableOwnershipTest {

  private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
  private static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");
  /** Test support, never deployed: it empties every table between tests. */
  private static final Set<String> NOT_SCANNED = Set.of("testkit");

  // Literals are joined, so "... FOR UPDATE" followed by "UPDATE t SET ..." must not read as a table named UPDATE.
  private static final String NAME = "\"?((?!(?:update|set|select|only|table)\\b)[a-z_][a-z0-9_]*)\"?";
  private static final String NAMES = "((?:\"?[a-z_][a-z0-9_]*\"?\\s*,\\s*)*\"?[a-z_][a-z0-9_]*\"?)";
  /** Statements that change a table; group 1 names the table(s). Keywords in any case. */
  private static final List<Pattern> WRITES = Stream.of(
      "\\bINSERT\\s+INTO\\s+" + NAME,
      "\\bUPDATE\\s+(?:ONLY\\s+)?" + NAME + "(?:\\s+(?:AS\\s+)?[a-z_][a-z0-9_]*)?\\s+SET\\b",
      "\\bDELETE\\s+FROM\\s+(?:ONLY\\s+)?" + NAME,
      "\\bTRUNCATE\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?" + NAMES,
      "\\bALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?" + NAME,
      "\\bDROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?" + NAMES,
      "\\bCOPY\\s+" + NAME + "(?:\\s*\\([^)]*\\))?\\s+FROM\\b",
      "\\bLOCK\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?" + NAMES + "\\s+IN\\b")
    .map(regex -> Pattern.compile(regex, Pattern.CASE_INSENSITIVE)).toList();
  private static final Pattern READ = Pattern.compile("\\b(?:FROM|JOIN)\\s+\"?([a-z_][a-z0-9_]*)\"?");
  private static final Pattern CREATED_TABLE =
    Pattern.compile("CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([a-z_][a-z0-9_.]*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern CREATED_VIEW =
    Pattern.compile("CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+([a-z_][a-z0-9_.]*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z_][a-z0-9_.]*)`\\s*\\|\\s*`?([a-z]+)`?\\s*\\|.*");

  @Test
  void everyMigratedTableHasExactlyOneListedOwner() {
    Map<String, String> owners = ownerList("tables");
    assertEquals(migrated(CREATED_TABLE), owners.keySet(),
      "the owner list in docs/architecture.md names exactly the tables the migrations create");
    Set<String> modules = modules().keySet();
    owners.forEach((table, owner) -> assertTrue(modules.contains(owner), table + " is owned by unknown module " + owner));
  }

  @Test
  void everyViewIsListedWithItsOwner() {
    assertEquals(migrated(CREATED_VIEW), ownerList("views").keySet(),
      "the views in docs/architecture.md are exactly the views the migrations create");
    Set<String> modules = modules().keySet();
    ownerList("views").forEach((view, owner) -> assertTrue(modules.contains(owner), view + " is owned by unknown module " + owner));
  }

  @Test
  void noModuleWritesATableItDoesNotOwn() {
    Map<String, String> owners = ownerList("tables");
    List<String> violations = new ArrayList<>();
    modules().forEach((module, sources) -> sqlOf(sources).forEach((file, sql) -> {
      for (Pattern write : WRITES) {
        Matcher m = write.matcher(sql);
        while (m.find()) {
          for (String name : m.group(1).split(",")) {
            String table = name.replace("\"", "").trim().toLowerCase(Locale.ROOT);
            String owner = owners.get(table);
            if (owner == null) {
              violations.add(module + " writes " + table + ", which is not in the owner list (" + file + ": " + m.group() + ")");
            } else if (!owner.equals(module)) {
              violations.add(module + " writes " + table + ", owned by " + owner + " (" + file + ": " + m.group() + ")");
            }
          }
        }
      }
    }));
    assertEquals(List.of(), violations);
  }

  @Test
  void noModuleReadsAnotherModulesTableExceptThroughAPublishedView() {
    Map<String, String> owners = ownerList("tables");
    List<String> violations = new ArrayList<>();
    modules().forEach((module, sources) -> sqlOf(sources).forEach((file, sql) -> {
      Matcher m = READ.matcher(sql);
      while (m.find()) {
        String owner = owners.get(m.group(1));
        if (owner != null && !owner.equals(module)) {
          violations.add(module + " reads " + m.group(1) + ", owned by " + owner + " (" + file + ")");
        }
      }
    }));
    assertEquals(List.of(), violations);
  }

  // ------------------------------------------------------------------ the owner list

  /** The rows of the owner table {@code kind} ("tables" or "views") between its markers in docs/architecture.md. */
  static Map<String, String> ownerList(String kind) {
    String doc = read(ROOT.resolve("docs").resolve("architecture.md"));
    String start = "<!-- owners:" + kind + " -->";
    String end = "<!-- /owners:" + kind + " -->";
    int from = doc.indexOf(start);
    int to = doc.indexOf(end);
    assertTrue(from >= 0 && to > from, "docs/architecture.md has the " + kind + " owner list between " + start + " and " + end);
    Map<String, String> owners = new TreeMap<>();
    for (String line : doc.substring(from + start.length(), to).split("\n")) {
      Matcher m = ROW.matcher(line.trim());
      if (m.matches()) {
        String previous = owners.put(m.group(1), m.group(2));
        assertEquals(null, previous, m.group(1) + " is listed twice");
      }
    }
    assertTrue(!owners.isEmpty(), "the " + kind + " owner list has rows");
    return owners;
  }

  private static Set<String> migrated(Pattern created) {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      files.filter(f -> f.getFileName().toString().endsWith(".sql")).forEach(f -> {
        Matcher m = created.matcher(read(f));
        while (m.find()) {
          names.add(m.group(1).toLowerCase(Locale.ROOT));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  // ------------------------------------------------------------------ the sources

  /** Each deployable module (verticles and launcher) with its main Java source root. */
  private static Map<String, Path> modules() {
    Map<String, Path> modules = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(ROOT.resolve("verticles"))) {
      dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java")))
        .filter(d -> !NOT_SCANNED.contains(d.getFileName().toString()))
        .forEach(d -> modules.put(d.getFileName().toString(), d.resolve("src/main/java")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    modules.put("launcher", ROOT.resolve("launcher/src/main/java"));
    assertTrue(modules.size() >= 8, "found the modules under " + ROOT + ": " + modules.keySet());
    return modules;
  }

  /** Per Java file under {@code root}: its string literals (text blocks included), joined by spaces. */
  private static Map<String, String> sqlOf(Path root) {
    Map<String, String> sql = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(f -> f.toString().endsWith(".java"))
        .forEach(f -> sql.put(root.relativize(f).toString(), String.join(" ", JavaStrings.literals(read(f)))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sql;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
