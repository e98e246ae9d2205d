package org.syncref.litmus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.syncref.litmus.Program.IBranch;
import org.syncref.litmus.Program.ICall;
import org.syncref.litmus.Program.IExpect;
import org.syncref.litmus.Program.IJump;
import org.syncref.litmus.Program.Ins;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import tlc2.tool.TLCState;
import tlc2.value.IValue;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.TupleValue;

/**
 * Explores every interleaving of a litmus file's threads over the TLA+ spec (spec/Litmus), with
 * TLC's evaluator computing each call's outcomes: a depth-first search over (spec state, program
 * counters, registers), each distinct state visited once. A step is one kernel call of one
 * thread (or the end of a sleeping call, or a condition that reads the kernel's state);
 * conditions over registers only and jumps run at once. Final states: every thread finished, a
 * BUG fired (the spec stops everything), no thread can move (deadlock), or a call that the spec
 * does not define in that state (an API-contract violation).
 */
public final class SpecExplorer {
  /** States explored before giving up. */
  public static final int MAX_STATES = 400_000;

  /** The result of the exploration. */
  public static final class Result {
    public int states;
    public int transitions;
    public int positive;
    public int negative;
    /** Distinct final outcomes, each with one path that reaches it. */
    public final Map<Outcome, List<String>> outcomes = new LinkedHashMap<>();
    /** Outcomes satisfying / not satisfying the exists clause. */
    public final Map<Outcome, Boolean> satisfies = new LinkedHashMap<>();
    /** First failing execution per failed expect (by position). */
    public final Map<Litmus.Pos, List<String>> expectFailures = new LinkedHashMap<>();
    /** States from which no final state can be reached (a loop that never exits). */
    public int stuckStates;
    public boolean truncated;
    /** The WARNs and BUGs that fire in some execution, with the check that fired. */
    public final java.util.Set<String> details = new java.util.LinkedHashSet<>();
  }

  private final SpecModel model;
  private final Litmus litmus;
  private final TlcEvaluator ev;
  private final List<Program> progs = new ArrayList<>();
  private final int n;
  private final ModelValue[] tv;
  private final Map<String, ModelValue> fenceMv = new HashMap<>();
  private final ActionInstance[][] completion;
  /** A sleeping ww_mutex lock's step that does not end the call: it sets MUTEX_FLAG_HANDOFF. */
  private final ActionInstance[] handoff;

  public SpecExplorer(SpecModel model) {
    this.model = model;
    this.litmus = model.litmus;
    this.ev = model.ev;
    for (Litmus.ThreadDecl t : litmus.threads()) {
      progs.add(new Program(t));
    }
    n = progs.size();
    tv = new ModelValue[n];
    completion = new ActionInstance[n][];
    handoff = new ActionInstance[n];
    for (int i = 0; i < n; i++) {
      String t = SpecModel.thread(progs.get(i).thread);
      tv[i] = (ModelValue) ModelValue.make(t);
      completion[i] = new ActionInstance[] {
        ev.action("LWaitWake", t).orElseThrow(), ev.action("LWaitExpire", t).orElseThrow(),
        ev.action("LWwWaitAcquire", t).orElseThrow(), ev.action("LWwWaitDie", t).orElseThrow(),
        ev.action("LWwWaitSteal", t).orElseThrow()
      };
      handoff[i] = ev.action("LWwWaitHandoff", t).orElseThrow();
    }
    for (Litmus.FenceDecl f : litmus.fences()) {
      fenceMv.put(f.name(), (ModelValue) ModelValue.make(SpecModel.fence(f.name())));
    }
  }

  /** A node of the search: the spec state and every thread's program state. */
  private static final class Node {
    TLCState spec;
    int[] pc;
    boolean[] inCall;
    List<SortedMap<String, Value>> regs;
    boolean contract;
    /** After the contract breach the kernel went on (AddFenceKernel). */
    boolean kernel;
    boolean deadlock;
    Key key;

    Node copy() {
      Node c = new Node();
      c.spec = spec;
      c.pc = pc.clone();
      c.inCall = inCall.clone();
      c.regs = new ArrayList<>(regs);
      c.contract = contract;
      c.kernel = kernel;
      return c;
    }

    Key key() {
      if (key == null) {
        // the full state text, not TLCState.fingerPrint(): that ignored differences here
        // Normalised first: a value built through an INSTANCE (Litmus.tla's Fence!, Resv!) may
        // print unnormalised until later use, and two equal states would get two keys.
        spec.deepNormalize();
        key = new Key(spec.toString(), Arrays.toString(pc) + Arrays.toString(inCall) + contract + kernel, regs);
      }
      return key;
    }
  }

  private record Key(String spec, String pcs, List<SortedMap<String, Value>> regs) {}

  private record Edge(Node to, String label, Litmus.Pos failedExpect) {}

  public Result explore() {
    Result res = new Result();
    Node init = new Node();
    init.spec = setup();
    List<String> badInit = ev.violatedInvariants(init.spec);
    if (!badInit.isEmpty()) {
      throw new IllegalStateException("the spec's initial state violates " + String.join(", ", badInit));
    }
    init.pc = new int[n];
    init.inCall = new boolean[n];
    init.regs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      init.regs.add(new TreeMap<>());
    }
    for (int i = 0; i < n; i++) {
      runLocal(init, i, null);
    }
    Map<Key, Integer> ids = new HashMap<>();
    List<int[]> succ = new ArrayList<>();
    List<Integer> parent = new ArrayList<>();
    List<String> via = new ArrayList<>();
    List<Boolean> fin = new ArrayList<>();
    ArrayDeque<Node> stack = new ArrayDeque<>();
    ids.put(init.key(), 0);
    parent.add(-1);
    via.add(null);
    succ.add(null);
    fin.add(false);
    stack.push(init);
    List<Node> nodes = new ArrayList<>();
    nodes.add(init);
    while (!stack.isEmpty()) {
      Node s = stack.pop();
      int id = ids.get(s.key());
      List<Edge> edges = successors(s);
      int[] out = new int[edges.size()];
      if (edges.isEmpty()) {
        fin.set(id, true);
        Outcome o = outcome(s);
        if (!res.outcomes.containsKey(o)) {
          res.outcomes.put(o, path(id, parent, via));
          boolean sat = litmus.exists() == null || Outcome.eval(litmus.exists(), o.env(), null);
          res.satisfies.put(o, sat);
          res.details.addAll(details(s.spec));
        }
        if (litmus.exists() != null) {
          if (Outcome.eval(litmus.exists(), o.env(), null)) {
            res.positive++;
          } else {
            res.negative++;
          }
        }
      }
      for (int k = 0; k < edges.size(); k++) {
        Edge e = edges.get(k);
        res.transitions++;
        Integer to = ids.get(e.to.key());
        if (e.failedExpect != null && !res.expectFailures.containsKey(e.failedExpect)) {
          List<String> p = path(id, parent, via);
          p.add(e.label);
          p.add("expect at " + e.failedExpect + " fails");
          res.expectFailures.put(e.failedExpect, p);
        }
        if (to == null) {
          typeCheck(e.to, id, parent, via, e.label);
          to = nodes.size();
          ids.put(e.to.key(), to);
          nodes.add(e.to);
          parent.add(id);
          via.add(e.label);
          succ.add(null);
          fin.add(false);
          if (nodes.size() > MAX_STATES) {
            res.truncated = true;
            res.states = nodes.size();
            return res;
          }
          stack.push(e.to);
        }
        out[k] = to;
      }
      succ.set(id, out);
      nodes.set(id, null); // the node itself is no longer needed
    }
    res.states = nodes.size();
    // states that cannot reach a final state
    boolean[] canFinish = new boolean[nodes.size()];
    List<List<Integer>> rev = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      rev.add(new ArrayList<>());
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (int j : succ.get(i)) {
        rev.get(j).add(i);
      }
    }
    ArrayDeque<Integer> q = new ArrayDeque<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (fin.get(i)) {
        canFinish[i] = true;
        q.add(i);
      }
    }
    while (!q.isEmpty()) {
      for (int p : rev.get(q.poll())) {
        if (!canFinish[p]) {
          canFinish[p] = true;
          q.add(p);
        }
      }
    }
    for (boolean b : canFinish) {
      if (!b) {
        res.stuckStates++;
      }
    }
    return res;
  }

  /** Spec states already checked against the generated model's invariant (LitmusTypeOK). */
  private final java.util.Set<String> typeChecked = new java.util.HashSet<>();

  /** Checks the invariant of the generated model (the type invariants) in a state first reached. */
  private void typeCheck(Node to, int from, List<Integer> parent, List<String> via, String label) {
    if (!typeChecked.add(to.key().spec())) {
      return;
    }
    List<String> bad = ev.violatedInvariants(to.spec);
    if (!bad.isEmpty()) {
      List<String> p = path(from, parent, via);
      p.add(label);
      throw new IllegalStateException("the spec violates " + String.join(", ", bad) + " after "
          + String.join("; ", p));
    }
  }

  private static List<String> path(int id, List<Integer> parent, List<String> via) {
    ArrayDeque<String> p = new ArrayDeque<>();
    for (int i = id; parent.get(i) >= 0; i = parent.get(i)) {
      p.push(via.get(i));
    }
    return new ArrayList<>(p);
  }

  /** The initial state after the setup: contexts allocated in order, fences initialised. */
  private TLCState setup() {
    TLCState s = ev.initialState();
    String t0 = SpecModel.thread(progs.get(0).thread);
    for (int i = 0; i < litmus.contexts().size(); i++) {
      s = only(ev.action("LContextAlloc", t0, "1").orElseThrow(), s, "dma_fence_context_alloc(1)");
    }
    for (Litmus.FenceDecl f : litmus.fences()) {
      s = only(ev.action("LFenceInit", t0, SpecModel.fence(f.name())).orElseThrow(), s,
          "dma_fence_init(" + f.name() + ")");
    }
    return s;
  }

  private TLCState only(ActionInstance a, TLCState s, String what) {
    List<TLCState> next = ev.successors(a, s);
    if (next.size() != 1) {
      throw new IllegalStateException("setup step " + what + " has " + next.size() + " outcomes in the spec");
    }
    return next.get(0);
  }

  private List<Edge> successors(Node s) {
    List<Edge> out = new ArrayList<>();
    if ((s.contract && !s.kernel) || kbug(s.spec)) {
      return out;
    }
    boolean any = false;
    for (int i = 0; i < n; i++) {
      Program p = progs.get(i);
      if (s.pc[i] >= p.code.size()) {
        continue;
      }
      Ins ins = p.code.get(s.pc[i]);
      if (s.inCall[i]) {
        ICall c = (ICall) ins;
        for (int k = 0; k < completion[i].length; k++) {
          if (k == 1 && Calls.waitsForever(c.call())) {
            continue; // MAX_SCHEDULE_TIMEOUT does not run out
          }
          for (TLCState t : ev.successors(completion[i][k], s.spec)) {
            Node nx = s.copy();
            nx.spec = t;
            String label = finishCall(nx, i, c, k == 1 ? " times out" : " wakes");
            Litmus.Pos failed = runLocal(nx, i, null);
            out.add(new Edge(nx, label, failed));
          }
        }
        for (TLCState t : ev.successors(handoff[i], s.spec)) {
          Node nx = s.copy();
          nx.spec = t;
          out.add(new Edge(nx, p.thread + ": " + c.call() + " wakes, sets MUTEX_FLAG_HANDOFF and sleeps", null));
        }
        continue;
      }
      if (ins instanceof ICall c) {
        ActionInstance a = model.action(p.thread, c.call());
        List<TLCState> next = a == null ? List.of() : ev.successors(a, s.spec);
        boolean added = false;
        for (TLCState t : next) {
          if (c.call().fn() == Calls.Fn.DMA_FENCE_WAIT_TIMEOUT || c.call().fn() == Calls.Fn.DMA_FENCE_WAIT) {
            if (ret(t, i) == -512 && !blocked(t, i)) {
              continue; // no signals are delivered to litmus threads
            }
          }
          Node nx = s.copy();
          nx.spec = t;
          String label;
          if (blocked(t, i)) {
            nx.inCall[i] = true;
            label = p.thread + ": " + c.call() + " sleeps";
            out.add(new Edge(nx, label, null));
          } else {
            label = finishCall(nx, i, c, "");
            Litmus.Pos failed = runLocal(nx, i, null);
            out.add(new Edge(nx, label, failed));
          }
          added = true;
        }
        if (!added && c.call().fn() == Calls.Fn.DMA_RESV_ADD_FENCE) {
          // a contract breach the kernel goes on from: its AddFenceKernel
          ActionInstance k = model.action(p.thread, c.call(), "LAddFenceKernel");
          for (TLCState t : k == null ? List.<TLCState>of() : ev.successors(k, s.spec)) {
            Node nx = s.copy();
            nx.spec = t;
            nx.contract = true;
            nx.kernel = true;
            String label = finishCall(nx, i, c, "") + " [contract: " + c.call().fn().action()
                + " is not enabled here; the kernel goes on]";
            Litmus.Pos failed = runLocal(nx, i, null);
            out.add(new Edge(nx, label, failed));
            added = true;
          }
        }
        if (!added) {
          Node nx = s.copy();
          nx.contract = true;
          nx.kernel = false; // the execution ends at this breach
          out.add(new Edge(nx, p.thread + ": " + c.call() + " breaks the API contract: "
              + (a == null ? "the spec has no action for these arguments"
                  : c.call().fn().action() + " is not enabled here"), null));
        }
        any = true;
      } else {
        // a condition that reads the kernel's state: a step of its own
        Node nx = s.copy();
        Litmus.Pos failed = runLocal(nx, i, s.spec);
        out.add(new Edge(nx, p.thread + ": " + describe(ins, s, i), failed));
      }
    }
    if (out.isEmpty()) {
      for (int i = 0; i < n; i++) {
        if (s.pc[i] < progs.get(i).code.size()) {
          any = true;
        }
      }
      if (any) {
        s.deadlock = true; // blocked for ever
      }
    }
    return out;
  }

  private String describe(Ins ins, Node s, int i) {
    Litmus.Cond c = ins instanceof IBranch b ? b.cond() : ((IExpect) ins).cond();
    boolean v = Outcome.eval(c, env(s, false), progs.get(i).thread);
    return (ins instanceof IBranch ? "condition at " : "expect at ") + ((ins instanceof IBranch b2) ? b2.pos() : ((IExpect) ins).pos())
        + " is " + v;
  }

  /** Assigns the result of t's call and moves past it; returns the step's label. */
  private String finishCall(Node nx, int i, ICall c, String how) {
    Value v = result(nx.spec, i, c.call());
    if (c.reg() != null) {
      TreeMap<String, Value> r = new TreeMap<>(nx.regs.get(i));
      r.put(c.reg(), v);
      nx.regs.set(i, r);
    }
    nx.inCall[i] = false;
    nx.pc[i]++;
    String t = progs.get(i).thread;
    String call = (c.reg() != null ? c.reg() + " = " : "") + c.call();
    return t + ": " + call + how
        + (c.call().fn().result() == Calls.Result.VOID ? "" : " -> " + v);
  }

  /**
   * Runs thread i's jumps and register-only conditions (and, with {@code kernel} given, the one
   * kernel-reading condition at pc first); returns the position of an expect that failed.
   */
  private Litmus.Pos runLocal(Node nx, int i, TLCState kernel) {
    Program p = progs.get(i);
    Litmus.Pos failed = null;
    boolean first = kernel != null;
    int guard = 0;
    while (nx.pc[i] < p.code.size() && guard++ < 10_000) {
      Ins ins = p.code.get(nx.pc[i]);
      if (ins instanceof IJump j) {
        nx.pc[i] = j.target();
      } else if (ins instanceof IBranch b && (first || Program.local(b.cond()))) {
        first = false;
        nx.pc[i] = Outcome.eval(b.cond(), env(nx, false), p.thread) ? nx.pc[i] + 1 : b.target();
      } else if (ins instanceof IExpect e && (first || Program.local(e.cond()))) {
        first = false;
        if (!Outcome.eval(e.cond(), env(nx, false), p.thread) && failed == null) {
          failed = e.pos();
        }
        nx.pc[i]++;
      } else {
        break;
      }
    }
    return failed;
  }

  private Outcome.Env env(Node s, boolean deadlock) {
    return new Outcome.Env() {
      @Override
      public Value reg(String thread, String name) {
        int i = indexOf(thread);
        Value v = i < 0 ? null : s.regs.get(i).get(name);
        return v == null ? Value.UNSET : v;
      }

      @Override
      public boolean signaled(String fence) {
        return SpecExplorer.this.signaled(s.spec, fence);
      }

      @Override
      public boolean warn() {
        return !warnFns(s.spec).isEmpty();
      }

      @Override
      public boolean bug() {
        return kbug(s.spec);
      }

      @Override
      public boolean deadlock() {
        return deadlock;
      }

      @Override
      public boolean contract() {
        return s.contract;
      }
    };
  }

  private int indexOf(String thread) {
    for (int i = 0; i < n; i++) {
      if (progs.get(i).thread.equals(thread)) {
        return i;
      }
    }
    return -1;
  }

  private Outcome outcome(Node s) {
    TreeMap<String, SortedMap<String, Value>> regs = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      regs.put(progs.get(i).thread, s.regs.get(i));
    }
    TreeSet<String> sig = new TreeSet<>();
    for (Litmus.FenceDecl f : litmus.fences()) {
      if (signaled(s.spec, f.name())) {
        sig.add(f.name());
      }
    }
    return new Outcome(regs, sig, warnFns(s.spec), kbug(s.spec), s.deadlock, s.contract, s.kernel);
  }

  // ------------------------------------------------------------------ reading the spec state

  private static IValue get(TLCState s, String var) {
    return TlcEvaluator.get(s, var);
  }

  private IValue at(TLCState s, String var, int i) {
    return ((FcnRcdValue) get(s, var)).select(tv[i]);
  }

  private long ret(TLCState s, int i) {
    return ((IntValue) at(s, "ret", i)).val;
  }

  private boolean blocked(TLCState s, int i) {
    return !"None".equals(at(s, "waitOn", i).toString()) || !"None".equals(at(s, "sleepOn", i).toString());
  }

  boolean signaled(TLCState s, String fence) {
    return ((BoolValue) ((FcnRcdValue) get(s, "signaled")).select(fenceMv.get(fence))).val;
  }

  private static boolean kbug(TLCState s) {
    return !get(s, "kbug").toString().equals("\"none\"");
  }

  /** The kernel functions that WARNed (DmaFence's warnings, WwCalls' wwWarn). */
  static TreeSet<String> warnFns(TLCState s) {
    TreeSet<String> out = new TreeSet<>();
    for (String var : List.of("warnings", "wwWarn")) {
      SetEnumValue set = (SetEnumValue) ((tlc2.value.impl.Value) get(s, var)).toSetEnum();
      for (int k = 0; k < set.elems.size(); k++) {
        RecordValue r = (RecordValue) set.elems.elementAt(k);
        for (int j = 0; j < r.names.length; j++) {
          if (r.names[j].toString().equals("fn")) {
            String fn = r.values[j].toString();
            out.add(fn.substring(1, fn.length() - 1));
          }
        }
      }
    }
    return out;
  }

  /** The WARNs with their checks, and the BUG, for messages. */
  static List<String> details(TLCState s) {
    List<String> out = new ArrayList<>();
    for (String var : List.of("warnings", "wwWarn")) {
      SetEnumValue set = (SetEnumValue) ((tlc2.value.impl.Value) get(s, var)).toSetEnum();
      for (int k = 0; k < set.elems.size(); k++) {
        RecordValue r = (RecordValue) set.elems.elementAt(k);
        String fn = "";
        String what = "";
        for (int j = 0; j < r.names.length; j++) {
          String v = r.values[j].toString();
          if (r.names[j].toString().equals("fn")) {
            fn = v.substring(1, v.length() - 1);
          } else if (r.names[j].toString().equals("check")) {
            what = ": " + v.substring(1, v.length() - 1);
          } else if (r.names[j].toString().equals("f") && !v.equals("None")) {
            what = " (fence " + SpecModel.litmusName(v) + ")";
          }
        }
        out.add("WARN in " + fn + what);
      }
    }
    String bug = get(s, "kbug").toString();
    if (bug.contains("NULL list")) {
      out.add("oops in dma_resv_add_fence: NULL pointer dereference of obj->fences (the object never had a list)");
    } else if (!bug.equals("\"none\"")) {
      out.add("BUG in " + bug.substring(1, bug.length() - 1) + ": BUG_ON(num_fences >= max_fences)");
    }
    return out;
  }

  private Value result(TLCState s, int i, Litmus.Call c) {
    switch (c.fn().result()) {
      case VOID:
        return Value.UNSET;
      case BOOL:
        return new Value.Bool(ret(s, i) != 0);
      case FENCES: {
        TupleValue seq = (TupleValue) ((tlc2.value.impl.Value) at(s, "out", i)).toTuple();
        List<String> names = new ArrayList<>();
        for (tlc2.value.impl.Value v : seq.elems) {
          names.add(SpecModel.litmusName(v.toString()));
        }
        return new Value.FenceSeq(names); // DmaResv's out: the fences in the kernel's order
      }
      default: {
        long r = ret(s, i);
        if (c.fn() == Calls.Fn.DMA_FENCE_WAIT && r > 0) {
          r = 0; // dma_fence_wait: ret < 0 ? ret : 0
        } else if (Calls.waitsForever(c) && r > 0) {
          r = Calls.MAX_SCHEDULE_TIMEOUT; // the spec's WAIT_FOREVER: schedule_timeout(MAX) returns MAX
        }
        return new Value.Int(r);
      }
    }
  }
}
