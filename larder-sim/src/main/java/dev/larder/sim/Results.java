package dev.larder.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The hit counts and run times of one run, by row (trace and size) and column. Not thread-safe.
 */
final class Results {

  /**
   * One (trace, size) with a hit count and a run time for each column.
   *
   * @param trace the trace name
   * @param size the cache size in entries
   * @param requests the requests replayed
   * @param hits hits per column
   * @param nanos replay time per column, including opening the cache
   */
  record Row(String trace, int size, long requests, long[] hits, long[] nanos) {

    /** The hit ratio of column {@code c} in percent. */
    double percent(int c) {
      return hits[c] * 100.0 / requests;
    }
  }

  final List<Column> columns;
  final List<Row> rows = new ArrayList<>();

  Results(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  /** The index of the column with {@code id}, or -1. */
  int column(String id) {
    for (int c = 0; c < columns.size(); c++) {
      if (columns.get(c).id().equals(id)) {
        return c;
      }
    }
    return -1;
  }

  /** The mean hit ratio of column {@code c} over the rows, in percent. */
  double mean(int c) {
    double sum = 0;
    for (Row r : rows) {
      sum += r.percent(c);
    }
    return rows.isEmpty() ? Double.NaN : sum / rows.size();
  }

  /** The total replay time of column {@code c} in nanoseconds. */
  long nanos(int c) {
    long sum = 0;
    for (Row r : rows) {
      sum += r.nanos()[c];
    }
    return sum;
  }

  /** The total number of requests replayed per column. */
  long requests() {
    long sum = 0;
    for (Row r : rows) {
      sum += r.requests();
    }
    return sum;
  }
}
