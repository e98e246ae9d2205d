package org.syncref.modelcheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model manifest ({@code spec/models.txt}): one TLC model per line, whitespace-separated
 * columns {@code model dir module config mode expected states depth}, {@code #} comments.
 */
public final class Manifest {
  /** Number of columns of a model row. */
  public static final int COLUMNS = 8;

  private static final String COLUMN_NAMES = "model dir module config mode expected states depth";

  private final Path file;
  private final Path specRoot;
  private final List<String> lines;
  private final List<ModelEntry> entries;

  private Manifest(Path file, Path specRoot, List<String> lines, List<ModelEntry> entries) {
    this.file = file;
    this.specRoot = specRoot;
    this.lines = lines;
    this.entries = entries;
  }

  /** Reads {@code file}; the spec folders its rows name are looked up under the file's own folder. */
  public static Manifest load(Path file) throws BadInputException {
    Path parent = file.toAbsolutePath().getParent();
    return load(file, parent);
  }

  /** Reads {@code file}; the spec folders its rows name are looked up under {@code specRoot}. */
  public static Manifest load(Path file, Path specRoot) throws BadInputException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInputException(file + ":0: a readable model manifest expected (" + e.getMessage() + ")");
    }
    return parse(file, specRoot, lines, true);
  }

  /**
   * Parses manifest text; {@code checkFiles} says whether the files a row names must exist under
   * {@code specRoot}.
   */
  public static Manifest parse(Path file, Path specRoot, List<String> lines, boolean checkFiles)
      throws BadInputException {
    List<ModelEntry> entries = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String[] cols = columns(lines.get(i));
      if (cols.length == 0) {
        continue;
      }
      if (cols.length != COLUMNS) {
        throw BadInputException.at(file, lineNo, COLUMNS + " columns expected (" + COLUMN_NAMES
            + "), found " + cols.length);
      }
      String name = cols[0];
      if (!name.matches("[A-Za-z0-9_.-]+")) {
        throw BadInputException.at(file, lineNo, "a model name of letters, digits, '_', '.', '-' expected, found '" + name + "'");
      }
      Integer earlier = seen.putIfAbsent(name, lineNo);
      if (earlier != null) {
        throw BadInputException.at(file, lineNo, "a unique model name expected, '" + name
            + "' is already on line " + earlier);
      }
      Mode mode = switch (cols[4]) {
        case "ci" -> Mode.CI;
        case "deep" -> Mode.DEEP;
        case "conformance" -> Mode.CONFORMANCE;
        default -> throw BadInputException.at(file, lineNo, "mode ci, deep or conformance expected, found '" + cols[4] + "'");
      };
      Expected expected = Expected.parse(cols[5]);
      if (expected == null) {
        throw BadInputException.at(file, lineNo,
            "expected outcome success, deadlock, invariant:<Name> or property:<Name> expected, found '" + cols[5] + "'");
      }
      if (name.endsWith("_bug") && expected.passes()) {
        throw BadInputException.at(file, lineNo, "a failing outcome expected for _bug model '" + name + "', found success");
      }
      Long states = number(file, lineNo, "states", cols[6]);
      Long depthValue = number(file, lineNo, "depth", cols[7]);
      Integer depth = depthValue == null ? null : Math.toIntExact(depthValue);
      if (!expected.passes() && states != null) {
        throw BadInputException.at(file, lineNo, "states '-' expected for a failing model, found '" + cols[6] + "'");
      }
      ModelEntry entry = new ModelEntry(name, cols[1], cols[2], cols[3], mode, expected, states, depth, lineNo);
      if (checkFiles) {
        checkFile(file, lineNo, specRoot, entry.dir(), null, "dir", "a folder under " + specRoot);
        checkFile(file, lineNo, specRoot, entry.dir(), entry.module() + ".tla", "module", "a module file");
        checkFile(file, lineNo, specRoot, entry.dir(), entry.config(), "config", "a config file");
      }
      entries.add(entry);
    }
    return new Manifest(file, specRoot, List.copyOf(lines), Collections.unmodifiableList(entries));
  }

  private static void checkFile(Path file, int lineNo, Path specRoot, String dir, String name,
      String column, String what) throws BadInputException {
    Path d = specRoot.resolve(dir);
    if (name == null) {
      if (!Files.isDirectory(d)) {
        throw BadInputException.at(file, lineNo, column + ": " + what + " expected, " + d + " does not exist");
      }
      return;
    }
    Path f = d.resolve(name);
    if (!Files.isRegularFile(f)) {
      throw BadInputException.at(file, lineNo, column + ": " + what + " expected, " + f + " does not exist");
    }
  }

  private static Long number(Path file, int lineNo, String column, String s) throws BadInputException {
    if (s.equals("-")) {
      return null;
    }
    if (!s.matches("[0-9]{1,18}")) {
      throw BadInputException.at(file, lineNo, column + ": a non-negative number or '-' expected, found '" + s + "'");
    }
    long v = Long.parseLong(s);
    if (column.equals("depth") && v > Integer.MAX_VALUE) {
      throw BadInputException.at(file, lineNo, "depth: a number below 2^31 expected, found '" + s + "'");
    }
    return v;
  }

  /** The whitespace-separated columns of a line without its {@code #} comment. */
  static String[] columns(String line) {
    String body = stripComment(line).strip();
    return body.isEmpty() ? new String[0] : body.split("\\s+");
  }

  private static String stripComment(String line) {
    int hash = line.indexOf('#');
    return hash < 0 ? line : line.substring(0, hash);
  }

  /** The manifest file. */
  public Path file() {
    return file;
  }

  /** The folder the rows' {@code dir} column is relative to. */
  public Path specRoot() {
    return specRoot;
  }

  /** All model rows, in file order. */
  public List<ModelEntry> entries() {
    return entries;
  }

  /**
   * The .cfg files under the spec root that no row names (as {@code dir/config}), as paths
   * relative to the spec root, sorted: every TLC configuration of the specs belongs in the
   * manifest, with the mode that says how it is checked.
   */
  public List<String> unlistedConfigs() throws IOException {
    java.util.Set<String> listed = new java.util.HashSet<>();
    for (ModelEntry e : entries) {
      listed.add(specRoot.resolve(e.dir()).resolve(e.config()).toAbsolutePath().normalize().toString());
    }
    Path root = specRoot.toAbsolutePath().normalize();
    try (java.util.stream.Stream<Path> s = Files.walk(root)) {
      return s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".cfg"))
          .filter(f -> !listed.contains(f.toAbsolutePath().normalize().toString()))
          .map(f -> root.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
          .sorted()
          .toList();
    }
  }

  /**
   * The manifest text with the states and depth columns of the named models replaced, keeping
   * comments and the column alignment of every other line.
   *
   * @param recorded model name to {states, depth}; states may be null (written as {@code -})
   */
  public String rewrite(Map<String, Long[]> recorded) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String[] cols = columns(line);
      if (cols.length == COLUMNS && recorded.containsKey(cols[0])) {
        Long[] r = recorded.get(cols[0]);
        line = replaceColumns(line, r[0] == null ? "-" : r[0].toString(), r[1] == null ? "-" : r[1].toString());
      }
      out.append(line).append('\n');
    }
    return out.toString();
  }

  /** Writes {@link #rewrite} back to the manifest file. */
  public void record(Map<String, Long[]> recorded) throws IOException {
    Files.writeString(file, rewrite(recorded), StandardCharsets.UTF_8);
  }

  /** Replaces columns 7 and 8 of a row, each new token starting where the old one did if it fits. */
  static String replaceColumns(String line, String states, String depth) {
    int hash = line.indexOf('#');
    String body = hash < 0 ? line : line.substring(0, hash);
    String comment = hash < 0 ? "" : line.substring(hash);
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while (i < body.length()) {
      while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < body.length() && !Character.isWhitespace(body.charAt(i))) {
        i++;
      }
      if (i > start) {
        spans.add(new int[] {start, i});
      }
    }
    String[] tokens = new String[spans.size()];
    for (int k = 0; k < tokens.length; k++) {
      tokens[k] = body.substring(spans.get(k)[0], spans.get(k)[1]);
    }
    tokens[6] = states;
    tokens[7] = depth;
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < tokens.length; k++) {
      int want = spans.get(k)[0];
      if (k > 0 && sb.length() >= want) {
        sb.append(' ');
      }
      while (sb.length() < want) {
        sb.append(' ');
      }
      sb.append(tokens[k]);
    }
    if (!comment.isEmpty()) {
      int oldEnd = spans.get(spans.size() - 1)[1];
      String gap = body.substring(oldEnd);
      sb.append(gap.isEmpty() ? " " : gap);
      sb.append(comment);
    }
    return sb.toString();
  }
}
