package org.syncref.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import tlc2.tool.TLCState;

/**
 * Direction spec to impl for drm_exec: the spec picks every step by TLC's successors (which
 * client moves, so every interleaving the spec allows), the Java client moves to its next stop
 * ({@link DrmExecWorld#apply}) and its state must be one of the successors of that action;
 * then the kernel's wake-ups run in Java, each Wake step a successor of its own, and at every
 * settled state no sleeping client may proceed in the spec (a lost wake-up), as in
 * {@link WwSpecWalker}.
 */
public final class DrmExecSpecWalker {
  private final TlcEvaluator ev;
  private final Supplier<DrmExecWorld> worlds;
  private final List<List<ActionInstance>> byName;

  public DrmExecSpecWalker(TlcEvaluator ev, Supplier<DrmExecWorld> worlds) {
    this.ev = ev;
    this.worlds = worlds;
    Map<String, List<ActionInstance>> m = new LinkedHashMap<>();
    for (ActionInstance a : ev.actions()) {
      m.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
    }
    List<List<ActionInstance>> weighted = new ArrayList<>();
    try (DrmExecWorld probe = worlds.get()) {
      for (var e : m.entrySet()) {
        for (int i = 0; i < probe.walkWeight(e.getKey()); i++) {
          weighted.add(e.getValue());
        }
      }
    }
    this.byName = List.copyOf(weighted);
  }

  public SpecWalker.Walk walk(List<Integer> choices) {
    try (DrmExecWorld w = worlds.get()) {
      var initial = w.snapshot();
      TLCState s = ev.state(initial);
      List<Step> steps = new ArrayList<>();
      if (!ev.diff(ev.initialState(), s).isEmpty()) {
        return new SpecWalker.Walk(new Trace(initial, steps), 0,
            "the Java initial state differs from Init in " + ev.diff(ev.initialState(), s));
      }
      for (int choice : choices) {
        Random rnd = new Random(choice);
        ActionInstance a = null;
        List<TLCState> succ = List.of();
        for (int tries = 0; tries < 4 * byName.size() + 1 && a == null; tries++) {
          List<ActionInstance> inst =
              tries < 4 * byName.size() ? byName.get(rnd.nextInt(byName.size())) : ev.actions();
          int off = rnd.nextInt(inst.size());
          for (int j = 0; j < inst.size(); j++) {
            ActionInstance cand = inst.get((off + j) % inst.size());
            List<TLCState> next = ev.successors(cand, s);
            if (!next.isEmpty()) {
              a = cand;
              succ = next;
              break;
            }
          }
        }
        if (a == null) {
          break; // every client finished
        }
        List<String> args = new ArrayList<>(a.args().values());
        w.apply(a.name(), args);
        var snap = w.snapshot();
        steps.add(new Step(a.name(), args, snap));
        TLCState t = ev.state(snap);
        if (succ.stream().noneMatch(u -> ev.diff(u, t).isEmpty())) {
          return new SpecWalker.Walk(new Trace(initial, steps), steps.size(), ev.explain(a, s, t)
              + (w.failure() == null ? "" : "\n  (the Java client failed: " + w.failure() + ")"));
        }
        if (w.failure() != null) {
          return new SpecWalker.Walk(new Trace(initial, steps), steps.size(),
              "the Java client failed in the step: " + w.failure());
        }
        s = t;
        for (Step st : w.settle()) {
          steps.add(st);
          ActionInstance wa = ev.action(st.action(), st.args()).orElseThrow();
          TLCState u = ev.state(st.state());
          if (ev.successors(wa, s).stream().noneMatch(x -> ev.diff(x, u).isEmpty())) {
            return new SpecWalker.Walk(new Trace(initial, steps), steps.size(),
                "(woken by Java) " + ev.explain(wa, s, u));
          }
          s = u;
        }
        if (w.failure() != null) {
          return new SpecWalker.Walk(new Trace(initial, steps), steps.size(),
              "a Java client failed after a wake-up: " + w.failure());
        }
        String lost = lostWakeUp(ev, s);
        if (lost != null) {
          return new SpecWalker.Walk(new Trace(initial, steps), steps.size(), lost);
        }
      }
      return new SpecWalker.Walk(new Trace(initial, steps), -1, "");
    }
  }

  /** A sleeping client the spec lets proceed in a settled state: Java did not wake it. */
  public static String lostWakeUp(TlcEvaluator ev, TLCState s) {
    for (String t : DrmExecWorld.THREADS) {
      Optional<ActionInstance> a = ev.action("Wake", t);
      if (a.isPresent() && !ev.successors(a.get(), s).isEmpty()) {
        return "lost wake-up: after the step the spec allows Wake(" + t + ") but Java did not wake " + t
            + " (it stays parked)";
      }
    }
    return null;
  }
}
