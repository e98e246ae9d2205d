package org.syncref.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import org.syncref.modelcheck.tlc.V;
import tlc2.tool.TLCState;
import tlc2.value.IValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;

/**
 * Direction spec to impl for drm_exec: the spec picks every step by TLC's successors (which
 * client moves, so every interleaving the spec allows), the Java client moves to its next stop
 * ({@link DrmExecWorld#apply}) and its state must be one of the successors of that action. The
 * spec also picks when a sleeping client runs (Wake: the Java client is resumed, woken or not).
 * After every step no sleeping client that Java has not woken may have a Wake step that is
 * WwCalls' WaitAcquire or WaitDie (a lost wake-up: the unlock owes the first waiter a wake-up,
 * a die its victim), as in {@link WwSpecWalker}; WaitSteal and WaitHandoff are owed none.
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
        String lost = lostWakeUp(ev, s, w::isWoken);
        if (lost != null) {
          return new SpecWalker.Walk(new Trace(initial, steps), steps.size(), lost);
        }
      }
      return new SpecWalker.Walk(new Trace(initial, steps), -1, "");
    }
  }

  /**
   * A sleeping client t that Java has not woken ({@code woken} says which it has) although the
   * spec has a Wake(t) step in s that is WaitAcquire or WaitDie, or null.
   */
  public static String lostWakeUp(TlcEvaluator ev, TLCState s, IntPredicate woken) {
    for (int i = 0; i < DrmExecWorld.N; i++) {
      String t = DrmExecWorld.THREADS.get(i);
      Optional<ActionInstance> a = ev.action("Wake", t);
      if (woken.test(i) || a.isEmpty()) {
        continue;
      }
      for (TLCState u : ev.successors(a.get(), s)) {
        String kind = wakeKind(s, u, t);
        if (kind.equals("WaitAcquire") || kind.equals("WaitDie")) {
          return "lost wake-up: after the step the spec allows Wake(" + t + ") as " + kind + "(" + t
              + ") but Java did not wake " + t + " (it stays parked)";
        }
      }
    }
    return null;
  }

  /**
   * Which of WwCalls' sleeper steps the Wake(t) step s -&gt; u is: WaitHandoff (t still sleeps),
   * WaitDie (-EDEADLK), WaitAcquire (t got the lock as its first waiter) or WaitSteal.
   */
  public static String wakeKind(TLCState s, TLCState u, String t) {
    Value tv = V.mv(t);
    if ("None".equals(at(s, "sleepOn", tv).toString())) {
      return "none (" + t + " was not asleep)";
    }
    if (!"None".equals(at(u, "sleepOn", tv).toString())) {
      return "WaitHandoff";
    }
    if (((IntValue) at(u, "ret", tv)).val != 0) {
      return "WaitDie";
    }
    TupleValue q = (TupleValue) at(s, "waitq", (Value) at(s, "sleepOn", tv));
    return q.size() > 0 && q.elems[0].equals(tv) ? "WaitAcquire" : "WaitSteal";
  }

  private static IValue at(TLCState s, String var, Value arg) {
    return ((FcnRcdValue) TlcEvaluator.get(s, var)).select(arg);
  }
}
