package org.syncref.modelcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tlc2.output.EC;
import tlc2.output.MP;

/**
 * What one TLC run reported, assembled from its {@code -tool} messages only: the outcome, the
 * state counts, the search depth and the counterexample.
 */
public final class TlcReport {
  /** The kinds of result a TLC run can have. */
  public enum Kind {
    SUCCESS,
    DEADLOCK,
    INVARIANT,
    PROPERTY,
    ERROR
  }

  private static final Pattern INVARIANT = Pattern.compile("Invariant (\\S+) is violated");
  private static final Pattern PROPERTY = Pattern.compile("[Pp]roperty (\\S+) is violated");
  private static final Pattern BACK_TO = Pattern.compile("^(\\d+): Back to state: <([^ >]+)");
  private static final Pattern STATS = Pattern.compile(
      "([\\d,]+) states generated.*?([\\d,]+) distinct states found(?:.*?([\\d,]+) states left on queue)?", Pattern.DOTALL);
  private static final Pattern DEPTH = Pattern.compile("search is (\\d+)");
  private static final Pattern PROGRESS = Pattern.compile(
      "Progress\\((\\d+)\\).*?: ([\\d,]+) states generated.*?([\\d,]+) distinct states found.*?([\\d,]+) states left on queue", Pattern.DOTALL);

  private Kind violation;
  private String violatedName;
  private boolean success;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<TraceState> trace = new ArrayList<>();
  private Long generated;
  private Long distinct;
  private Integer depth;
  private Long progressDistinct;
  private Integer progressDepth;
  private String version;
  private final List<ActionCoverage> coverage = new ArrayList<>();

  /**
   * One action of TLC's per-action coverage ({@code -coverage}; message TLC_COVERAGE_NEXT,
   * {@code <Name line L, col C to line L2, col C2 of module M>: distinct:generated}).
   *
   * @param name the action (the operator TLC named it after)
   * @param module the module defining it
   * @param line the line of its definition
   * @param distinct new distinct states its steps found
   * @param generated successor states its steps generated: 0 if it was never taken
   */
  public record ActionCoverage(String name, String module, int line, long distinct, long generated) {}

  private static final Pattern COVERAGE_NEXT = Pattern.compile(
      "^<(\\S+) line (\\d+), col \\d+ to line \\d+, col \\d+ of module (\\S+?)(?: \\([\\d ]+\\))?>: (\\d+):(\\d+)$");

  /** Parses a whole captured {@code -tool} output. */
  public static TlcReport parse(String text) {
    TlcReport report = new TlcReport();
    ToolOutputParser parser = new ToolOutputParser();
    for (String line : text.split("\n", -1)) {
      ToolMessage m = parser.accept(line);
      if (m != null) {
        report.accept(m);
      }
    }
    return report;
  }

  /** Takes in one message; returns true if it was a progress report. */
  public boolean accept(ToolMessage m) {
    switch (m.code()) {
      case EC.TLC_VERSION -> version = m.body().strip();
      case EC.TLC_INVARIANT_VIOLATED_INITIAL, EC.TLC_INVARIANT_VIOLATED_BEHAVIOR -> {
        violation = Kind.INVARIANT;
        Matcher im = INVARIANT.matcher(m.body());
        violatedName = im.find() ? im.group(1) : null;
        if (m.code() == EC.TLC_INVARIANT_VIOLATED_INITIAL) {
          // The violating initial state follows in the body: "Invariant X is violated by the initial state:\n/\ x = 0".
          String rest = m.body().contains("\n") ? m.body().substring(m.body().indexOf('\n') + 1) : "";
          TraceState s = TraceState.parse("1: <Initial predicate>\n" + rest);
          if (s != null && !s.vars().isEmpty()) {
            trace.add(s);
          }
        }
      }
      case EC.TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR, EC.TLC_TEMPORAL_PROPERTY_VIOLATED -> {
        violation = Kind.PROPERTY;
        Matcher pm = PROPERTY.matcher(m.body());
        violatedName = pm.find() ? pm.group(1) : null;
      }
      case EC.TLC_DEADLOCK_REACHED -> violation = Kind.DEADLOCK;
      case EC.TLC_SUCCESS -> success = true;
      case EC.TLC_STATS -> {
        Matcher sm = STATS.matcher(m.body());
        if (sm.find()) {
          generated = num(sm.group(1));
          distinct = num(sm.group(2));
        }
      }
      case EC.TLC_SEARCH_DEPTH -> {
        Matcher dm = DEPTH.matcher(m.body());
        if (dm.find()) {
          depth = Integer.parseInt(dm.group(1));
        }
      }
      case EC.TLC_PROGRESS_STATS -> {
        Matcher pm = PROGRESS.matcher(m.body());
        if (pm.find()) {
          progressDepth = Integer.parseInt(pm.group(1));
          progressDistinct = num(pm.group(3));
        }
        return true;
      }
      case EC.TLC_STATE_PRINT1, EC.TLC_STATE_PRINT2, EC.TLC_STATE_PRINT3 -> {
        TraceState s = TraceState.parse(m.body());
        if (s != null) {
          trace.add(s);
        }
      }
      case EC.TLC_BACK_TO_STATE -> {
        // a liveness counterexample's loop: the last state's successor is state N again
        Matcher bm = BACK_TO.matcher(m.body().strip());
        if (bm.find()) {
          String action = bm.group(2);
          int n = trace.isEmpty() ? 1 : trace.get(trace.size() - 1).number() + 1;
          trace.add(new TraceState(n, m.body().strip(),
              action + ", back to state " + bm.group(1) + ": the behaviour loops from there forever",
              java.util.Map.of()));
        }
      }
      case EC.TLC_COVERAGE_START -> coverage.clear(); // a later report supersedes an earlier one
      case EC.TLC_COVERAGE_NEXT -> {
        Matcher cm = COVERAGE_NEXT.matcher(m.body().strip());
        if (cm.find()) {
          coverage.add(new ActionCoverage(cm.group(1), cm.group(3), Integer.parseInt(cm.group(2)),
              Long.parseLong(cm.group(4)), Long.parseLong(cm.group(5))));
        }
      }
      case EC.TLC_BEHAVIOR_UP_TO_THIS_POINT, EC.TLC_COUNTER_EXAMPLE -> {
        // headers of the trace that follows
      }
      default -> {
        if (m.severity() == MP.ERROR || m.severity() == MP.TLCBUG) {
          errors.add(m.body().strip());
        } else if (m.severity() == MP.WARNING) {
          warnings.add(m.body().strip());
        }
      }
    }
    return false;
  }

  private static long num(String s) {
    return Long.parseLong(s.replace(",", ""));
  }

  /** The outcome: a violation if TLC reported one, else an error if it reported one, else success. */
  public Kind kind() {
    if (violation != null) {
      return violation;
    }
    if (!errors.isEmpty() || !success) {
      return Kind.ERROR;
    }
    return Kind.SUCCESS;
  }

  /**
   * Names an unnamed temporal violation after the model's config: TLC says only "Temporal
   * properties were violated." for a liveness property, so if the config lists exactly one
   * property, that is the one; with several, the violation stays unnamed ({@code property:?})
   * and matches no expected property.
   *
   * @param configProperties the names after PROPERTY / PROPERTIES in the model's .cfg
   */
  public void nameTemporalViolation(List<String> configProperties) {
    if (violation == Kind.PROPERTY && violatedName == null && configProperties.size() == 1) {
      violatedName = configProperties.get(0);
    }
  }

  /**
   * The names listed after PROPERTY / PROPERTIES in a TLC config text (comments removed), in
   * order.
   */
  public static List<String> configProperties(String cfg) {
    List<String> out = new ArrayList<>();
    boolean inProperties = false;
    String text = cfg.replaceAll("(?s)\\(\\*.*?\\*\\)", " ");
    for (String line : text.split("\n")) {
      int c = line.indexOf("\\*");
      if (c >= 0) {
        line = line.substring(0, c);
      }
      for (String tok : line.trim().split("\\s+")) {
        if (tok.isEmpty()) {
          continue;
        }
        if (tok.matches("[A-Z_]+") && CFG_KEYWORDS.contains(tok)) {
          inProperties = tok.equals("PROPERTY") || tok.equals("PROPERTIES");
        } else if (inProperties && tok.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          out.add(tok);
        }
      }
    }
    return out;
  }

  private static final java.util.Set<String> CFG_KEYWORDS = java.util.Set.of("CONSTANT", "CONSTANTS", "INIT", "NEXT",
      "SPECIFICATION", "INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES", "SYMMETRY", "VIEW", "CONSTRAINT",
      "CONSTRAINTS", "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "CHECK_DEADLOCK", "POSTCONDITION", "ALIAS");

  /** The violated invariant or property, or null (deadlock, success, error, unnamed temporal property). */
  public String violatedName() {
    return violatedName;
  }

  /** The outcome in manifest spelling, e.g. {@code invariant:TypeOK}, {@code error}. */
  public String outcomeText() {
    return switch (kind()) {
      case SUCCESS -> "success";
      case DEADLOCK -> "deadlock";
      case INVARIANT -> "invariant:" + (violatedName == null ? "?" : violatedName);
      case PROPERTY -> "property:" + (violatedName == null ? "?" : violatedName);
      case ERROR -> "error";
    };
  }

  /** True if this run's outcome is {@code expected} (an unnamed temporal violation matches none). */
  public boolean matches(Expected expected) {
    return switch (kind()) {
      case SUCCESS -> expected instanceof Expected.Success;
      case DEADLOCK -> expected instanceof Expected.Deadlock;
      case INVARIANT -> expected instanceof Expected.Invariant i && i.name().equals(violatedName);
      case PROPERTY -> expected instanceof Expected.Property p && p.name().equals(violatedName);
      case ERROR -> false;
    };
  }

  /** TLC's error messages (severity error or TLC bug), in order. */
  public List<String> errors() {
    return errors;
  }

  /** TLC's warnings. */
  public List<String> warnings() {
    return warnings;
  }

  /** The counterexample states, empty if none. */
  public List<TraceState> trace() {
    return trace;
  }

  /** States generated (TLC_STATS), or null. */
  public Long generated() {
    return generated;
  }

  /** Distinct states found (TLC_STATS), or null. */
  public Long distinct() {
    return distinct;
  }

  /** Depth of the search (TLC_SEARCH_DEPTH), or null. */
  public Integer depth() {
    return depth;
  }

  /** Distinct states of the latest progress report, or null. */
  public Long progressDistinct() {
    return progressDistinct;
  }

  /** Depth of the latest progress report, or null. */
  public Integer progressDepth() {
    return progressDepth;
  }

  /** TLC's last per-action coverage report (runs with {@code -coverage}), empty if none. */
  public List<ActionCoverage> coverage() {
    return coverage;
  }

  /** The "TLC2 Version ..." line, or null. */
  public String version() {
    return version;
  }
}
