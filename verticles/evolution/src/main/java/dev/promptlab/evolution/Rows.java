package dev.promptlab.evolution;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** How the evolution verticle's SQL reads values out of rows: times as ISO-8601, lists, bounded text. */
final class Rows {

  private Rows() {
  }

  static <T> List<T> records(RowSet<Row> rows, Function<Row, T> mapper) {
    List<T> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(mapper.apply(row)));
    return list;
  }

  /** The first row, mapped; empty when there is none or it maps to null (a NULL column). */
  static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> mapper) {
    return rows.size() == 0 ? Optional.empty() : Optional.ofNullable(mapper.apply(rows.iterator().next()));
  }

  static String iso(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }

  static String bounded(String text) {
    return text == null || text.length() <= 2000 ? text : text.substring(0, 1999) + "…";
  }
}
