package org.syncref.modelcheck.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the command's reports: columns with a header, left- or right-aligned,
 * two spaces apart, no trailing blanks. Either collect the rows and {@link #print} them (every
 * column as wide as its widest cell), or print row by row as results come in ({@link #header},
 * {@link #rule}, {@link #line}) after {@link #fit}ting the columns to the values known in advance.
 */
public final class Table {
  private static final String GAP = "  ";

  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> right = new ArrayList<>();
  private final List<Integer> widths = new ArrayList<>();
  private final List<String[]> rows = new ArrayList<>();

  /** Adds a left-aligned column (text). */
  public Table left(String header) {
    return column(header, false, 0);
  }

  /** Adds a right-aligned column (numbers). */
  public Table right(String header) {
    return column(header, true, 0);
  }

  /** Adds a left-aligned column at least {@code width} wide. */
  public Table left(String header, int width) {
    return column(header, false, width);
  }

  /** Adds a right-aligned column at least {@code width} wide. */
  public Table right(String header, int width) {
    return column(header, true, width);
  }

  private Table column(String header, boolean alignRight, int width) {
    headers.add(header);
    right.add(alignRight);
    widths.add(Math.max(width, header.length()));
    return this;
  }

  /** Widens column {@code column} (from 0) to hold each of {@code values}. */
  public Table fit(int column, Iterable<?> values) {
    for (Object v : values) {
      widths.set(column, Math.max(widths.get(column), String.valueOf(v).length()));
    }
    return this;
  }

  /** Adds a row; the columns widen to hold it. */
  public Table add(Object... cells) {
    String[] row = cells(cells);
    for (int i = 0; i < row.length; i++) {
      widths.set(i, Math.max(widths.get(i), row[i].length()));
    }
    rows.add(row);
    return this;
  }

  /** The header line. */
  public String header() {
    return format(headers.toArray(new String[0]));
  }

  /** A line of dashes under the header, as wide as the columns. */
  public String rule() {
    int w = GAP.length() * (widths.size() - 1);
    for (int x : widths) {
      w += x;
    }
    return "-".repeat(w);
  }

  /** One row in the current column widths (a cell wider than its column shifts the rest of the row). */
  public String line(Object... cells) {
    return format(cells(cells));
  }

  /** The header and the rows added so far, each line ending in a newline. */
  public String render() {
    StringBuilder sb = new StringBuilder(header()).append('\n');
    for (String[] r : rows) {
      sb.append(format(r)).append('\n');
    }
    return sb.toString();
  }

  /** Prints {@link #render()}. */
  public void print(PrintStream out) {
    out.print(render());
  }

  private String[] cells(Object[] cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns " + headers);
    }
    String[] s = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      s[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
    }
    return s;
  }

  private String format(String[] cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(GAP);
      }
      String pad = " ".repeat(Math.max(0, widths.get(i) - cells[i].length()));
      sb.append(right.get(i) ? pad + cells[i] : cells[i] + pad);
    }
    return sb.toString().stripTrailing();
  }
}
