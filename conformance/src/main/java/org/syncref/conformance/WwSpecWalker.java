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
 * Direction spec to impl for ww_mutex: {@link SpecWalker}'s walk (the spec picks every step by
 * TLC's successors, client calls and sleepers' steps alike, and the Java state after the step
 * must be one of them; a sleeper's step resumes the parked Java thread, woken or not). After
 * every step the walker also requires that Java has woken every parked thread whose WaitAcquire
 * or WaitDie the spec enables: the kernel owes it a wake-up (the unlock wakes the first waiter, a
 * die or a wound wakes its victim), so such a thread is a lost wake-up in Java.
 */
public final class WwSpecWalker {
  private final TlcEvaluator ev;
  private final Supplier<WwWorld> worlds;
  private final List<List<ActionInstance>> byName;

  public WwSpecWalker(TlcEvaluator ev, Supplier<WwWorld> worlds) {
    this.ev = ev;
    this.worlds = worlds;
    Map<String, List<ActionInstance>> m = new LinkedHashMap<>();
    for (ActionInstance a : ev.actions()) {
      m.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
    }
    List<List<ActionInstance>> weighted = new ArrayList<>();
    try (WwWorld probe = worlds.get()) {
      for (var e : m.entrySet()) {
        for (int i = 0; i < probe.walkWeight(e.getKey()); i++) {
          weighted.add(e.getValue());
        }
      }
    }
    this.byName = List.copyOf(weighted);
  }

  public SpecWalker.Walk walk(List<Integer> choices) {
    try (WwWorld w = worlds.get()) {
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
            if (w.avoided(cand.name(), new ArrayList<>(cand.args().values()))) {
              continue; // a known disagreement (WwWorld#woundsBeforeDying)
            }
            List<TLCState> next = ev.successors(cand, s);
            if (!next.isEmpty()) {
              a = cand;
              succ = next;
              break;
            }
          }
        }
        if (a == null) {
          break; // every transaction finished
        }
        List<String> args = new ArrayList<>(a.args().values());
        w.apply(a.name(), args);
        var snap = w.snapshot();
        steps.add(new Step(a.name(), args, snap));
        TLCState t = ev.state(snap);
        if (succ.stream().noneMatch(u -> ev.diff(u, t).isEmpty())) {
          return new SpecWalker.Walk(new Trace(initial, steps), steps.size(), ev.explain(a, s, t));
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
   * A parked thread whose WaitAcquire or WaitDie the spec enables in s but which Java has not
   * woken ({@code woken} says which it has), or null.
   */
  public static String lostWakeUp(TlcEvaluator ev, TLCState s, java.util.function.IntPredicate woken) {
    for (int i = 0; i < WwWorld.N; i++) {
      String t = WwWorld.THREADS.get(i);
      if (woken.test(i)) {
        continue;
      }
      for (String name : List.of("WaitAcquire", "WaitDie")) {
        Optional<ActionInstance> a = ev.action(name, t);
        if (a.isPresent() && !ev.successors(a.get(), s).isEmpty()) {
          return "lost wake-up: after the step the spec allows " + name + "(" + t + ") but Java did not wake "
              + t + " (it stays parked)";
        }
      }
    }
    return null;
  }
}
