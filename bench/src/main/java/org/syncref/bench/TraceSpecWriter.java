package org.syncref.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.syncref.conformance.Step;
import org.syncref.conformance.Trace;
import tlc2.value.impl.Value;

/**
 * Writes a trace-constrained spec for one trace, the usual approach of published trace-validation
 * work: a module that EXTENDS the model, adds a step counter {@code k}, and whose next-state
 * relation allows only the recorded action at step k with the recorded values of every variable.
 * TLC explores it; the invariant {@code TraceNotFinished} is violated exactly when the whole trace
 * has been matched (TLC 2.18 has no POSTCONDITION), and any other outcome rejects the trace.
 */
final class TraceSpecWriter {
  private TraceSpecWriter() {}

  static final String DONE_INVARIANT = "TraceNotFinished";

  /** Writes {@code TraceCheck.tla} and {@code TraceCheck.cfg} into dir (copying nothing else). */
  static void write(Path dir, Trace trace, List<String> variables, Path specDir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder m = new StringBuilder();
    m.append("---- MODULE TraceCheck ----\n");
    m.append("EXTENDS MCDmaFence, Sequences\n");
    m.append("CONSTANTS t1, t2, t3, cb1, cb2, cb3\n");
    m.append("VARIABLE k  \\* index of the last matched step\n\n");
    m.append("TraceStates == <<\n");
    m.append(stateLiteral(trace.initial(), variables));
    for (Step s : trace.steps()) {
      m.append(",\n").append(stateLiteral(s.state(), variables));
    }
    m.append("\n>>\n\n");
    m.append("Matches(i) ==\n");
    for (String v : variables) {
      m.append("    /\\ ").append(v).append("' = TraceStates[i].").append(v).append("\n");
    }
    m.append("\nTraceInit ==\n    /\\ k = 0\n    /\\ Init\n");
    for (String v : variables) {
      m.append("    /\\ ").append(v).append(" = TraceStates[1].").append(v).append("\n");
    }
    m.append("\nRecordedAction(i) ==\n");
    if (trace.steps().isEmpty()) {
      m.append("    FALSE\n");
    } else {
      m.append("    CASE ");
      for (int i = 0; i < trace.steps().size(); i++) {
        Step s = trace.steps().get(i);
        if (i > 0) {
          m.append("\n      [] ");
        }
        m.append("i = ").append(i + 1).append(" -> ").append(s.action())
            .append("(").append(String.join(", ", s.args())).append(")");
      }
      m.append("\n");
    }
    m.append("\nTraceNext ==\n    /\\ k < Len(TraceStates) - 1\n    /\\ k' = k + 1\n");
    m.append("    /\\ RecordedAction(k + 1)\n    /\\ Matches(k + 2)\n\n");
    m.append(DONE_INVARIANT).append(" == k < Len(TraceStates) - 1\n");
    m.append("====\n");
    Files.writeString(dir.resolve("TraceCheck.tla"), m.toString());

    String cfg = Files.readString(specDir.resolve("MCDmaFenceConformance.cfg"));
    cfg = cfg.replace("SPECIFICATION Spec", "INIT TraceInit\nNEXT TraceNext\nCHECK_DEADLOCK FALSE")
        .replace("CONSTANTS\n", "CONSTANTS\n    t1 = t1  t2 = t2  t3 = t3  cb1 = cb1  cb2 = cb2  cb3 = cb3\n")
        .replace("INVARIANTS\n", "INVARIANTS\n    " + DONE_INVARIANT + "\n");
    Files.writeString(dir.resolve("TraceCheck.cfg"), cfg);
  }

  private static String stateLiteral(Map<String, Value> state, List<String> variables) {
    return variables.stream()
        .map(v -> v + " |-> " + state.get(v))
        .collect(Collectors.joining(", ", "  [", "]"));
  }
}
