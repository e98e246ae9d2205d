package org.syncref.conformance;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import tlc2.tool.TLCState;
import tlc2.value.IValue;
import org.syncref.modelcheck.ValueDiff;
import tlc2.value.impl.Value;

/**
 * Checks a {@link Trace} of the Java implementation against the TLA+ spec with TLC's evaluator: the
 * first state must be the spec's initial state, every step must be a step of its labelled action
 * (same return value, same state change), and the implementation obligations (per-step
 * invariants) must hold after every step.
 *
 * <p>Why not the spec's own invariants and action properties: the step check proves every state
 * of a conforming trace to be a state the spec reaches by its own actions, so those are
 * properties of the spec, which TLC model-checks (spec/models.txt). The per-step invariants are
 * the obligations the spec does not enforce but the implementation must keep, such as {@code
 * SameContextOrdering} for the hardware model; each is evaluated on the steps that change a
 * variable it reads (it holds in Init and cannot change otherwise).
 */
public final class TraceChecker {
  private final TlcEvaluator ev;
  private final List<Object> perStepInvariants;
  /** For each per-step invariant, the variables it reads. */
  private final List<java.util.Set<String>> perStepReads = new java.util.ArrayList<>();

  /** Result of checking one trace: ok, or the failing step (0 = initial state) and why. */
  public record Verdict(boolean ok, int failedStep, String reason) {
    static final Verdict OK = new Verdict(true, -1, "");
  }

  public TraceChecker(TlcEvaluator ev, List<String> perStepInvariants) {
    this.ev = ev;
    this.perStepInvariants = ev.invariants(perStepInvariants);
    for (Object h : this.perStepInvariants) {
      perStepReads.add(ev.variablesOf(h));
    }
  }

  private List<String> binderOrder;
  private Object binder;

  /** Steps of one trace keep one variable order (the recorder's); resolve it once per order. */
  private Object binderFor(Trace trace) {
    List<String> order = List.copyOf(trace.initial().keySet());
    if (!order.equals(binderOrder)) {
      binder = ev.binder(order);
      binderOrder = order;
    }
    return binder;
  }

  public TlcEvaluator evaluator() {
    return ev;
  }

  public Verdict check(Trace trace) {
    TLCState s = ev.state(trace.initial());
    TLCState init = ev.initialState();
    List<String> d0 = ev.diff(init, s);
    if (!d0.isEmpty()) {
      return new Verdict(false, 0, "the initial state differs from Init in " + d0);
    }
    int i = 0;
    Object binder = binderFor(trace);
    for (Step step : trace.steps()) {
      i++;
      Optional<ActionInstance> a = ev.action(step.action(), step.args());
      if (a.isEmpty()) {
        return new Verdict(false, i, "Next has no action " + step.call());
      }
      TLCState t = ev.state(binder, step.values());
      if (!ev.isStep(a.get(), s, t)) {
        return new Verdict(false, i, ev.explain(a.get(), s, t));
      }
      // An invariant that held in s still holds in t unless t changes a variable it reads.
      for (int k = 0; k < perStepInvariants.size(); k++) {
        if (ev.changed(perStepReads.get(k), s, t)) {
          String inv = ev.violated(List.of(perStepInvariants.get(k)), t);
          if (inv != null) {
            return new Verdict(false, i, "invariant " + inv + " violated");
          }
        }
      }
      s = t;
    }
    return Verdict.OK;
  }

  /**
   * The trace as numbered steps, each with the call and the variables it changed, up to and
   * including {@code upTo} (use the verdict's failed step).
   */
  public String render(Trace trace, int upTo) {
    StringBuilder sb = new StringBuilder();
    Map<String, Value> prev = trace.initial();
    int n = Math.min(upTo < 0 ? trace.steps().size() : upTo, trace.steps().size());
    for (int i = 1; i <= n; i++) {
      Step step = trace.steps().get(i - 1);
      sb.append(String.format("%4d. %s%n", i, step.call()));
      for (String v : ev.variables()) {
        IValue before = prev.get(v);
        IValue after = step.state().get(v);
        if (before != null && !before.equals(after)) {
          // the same rendering as the model checker's counterexamples
          for (ValueDiff.Change c : ValueDiff.diff(v, before.toString(), String.valueOf(after))) {
            sb.append("        ").append(c).append('\n');
          }
        }
      }
      prev = step.state();
    }
    return sb.toString();
  }
}
