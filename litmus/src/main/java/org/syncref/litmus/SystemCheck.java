package org.syncref.litmus;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.syncref.litmus.SystemLitmus.And;
import org.syncref.litmus.SystemLitmus.Atom;
import org.syncref.litmus.SystemLitmus.Cond;
import org.syncref.litmus.SystemLitmus.Const;
import org.syncref.litmus.SystemLitmus.Engine;
import org.syncref.litmus.SystemLitmus.Not;
import org.syncref.litmus.SystemLitmus.Op;
import org.syncref.litmus.SystemLitmus.Or;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import tlc2.tool.TLCState;
import tlc2.value.IValue;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;

/**
 * Judges a system-level litmus file ({@link SystemLitmus}) on the GPU memory system spec. A module
 * MCSystem is generated that EXTENDS MCGpuMem (or MCGpuMemVm), fixes its constants from the file's
 * declarations (the others as the MC module's cfg sets them) and scripts the operations without editing the spec: a counter {@code pc} and
 *
 * <pre>
 * ScriptNext == GpuNext /\ IF an operation starts THEN it is Script[pc], nothing else runs,
 *                                                     and pc' = pc + 1
 *                          ELSE pc' = pc
 * </pre>
 *
 * The GPU (jobs, the delayed delete, preemption) moves between any two steps. TLC's evaluator
 * explores every behaviour depth-first, each distinct state once; a state is the spec's state
 * with the history the question reads: the properties some step has violated so far (each
 * PROPERTY {@code [][A]_v} of the model is evaluated on every step, as TLC checks implied actions;
 * each INVARIANT in every state) and the order in which fences signaled. The verdict is over the
 * final states, those in which nothing can move: the script done, or stuck (a {@code deadlock}).
 */
public final class SystemCheck {
  /** States explored before giving up. */
  public static final int MAX_STATES = 20_000;

  private final PrintStream out;
  private final Path scratch;
  private final boolean verbose;

  public SystemCheck(PrintStream out, Path scratch, boolean verbose) {
    this.out = out;
    this.scratch = scratch;
    this.verbose = verbose;
  }

  // ------------------------------------------------------------------------------------------
  // The generated model

  static String bo(String n) {
    return "Bo_" + n;
  }

  static String range(String n) {
    return "Rg_" + n;
  }

  static String ghost(String n) {
    return "Gh_" + n;
  }

  static String engine(String n) {
    return "En_" + n;
  }

  static String fence(String n) {
    return "Fe_" + n;
  }

  private static String set(List<String> xs) {
    return "{" + String.join(", ", xs) + "}";
  }

  /** The engines of the model: the file's, and for replace_stub the stub's own context. */
  private static List<Engine> engines(SystemLitmus l) {
    List<Engine> es = new ArrayList<>(l.engines());
    if (l.mutant().equals("replace_stub")) {
      es.add(new Engine("stubq", "stub", List.of("stub")));
    }
    return es;
  }

  private static List<String> fences(SystemLitmus l) {
    return engines(l).stream().flatMap(e -> e.fences().stream()).map(SystemCheck::fence).toList();
  }

  private static List<String> threads(SystemLitmus l) {
    return l.system().equals("GpuMemVm") ? List.of("Th_cpu", "Th_gpu", "Th_vmw") : List.of("Th_cpu", "Th_gpu");
  }

  /** The script as a TLA+ sequence of records [k, e, o, m] (the spec's op kinds). */
  private static String script(SystemLitmus l) {
    List<String> recs = new ArrayList<>();
    for (Op op : l.script()) {
      String k = switch (op.kind()) {
        case "move_in" -> "movein";
        case "lr_start" -> "start";
        default -> op.kind();
      };
      String e = op.kind().equals("submit") ? engine(op.args().get(0)) : "None";
      String o = op.kind().equals("submit") ? bo(op.args().get(1))
          : op.args().size() == 1 ? bo(op.args().get(0)) : "None";
      String m = op.kind().equals("submit") ? op.args().get(2) : "none";
      recs.add("[k |-> \"" + k + "\", e |-> " + e + ", o |-> " + o + ", m |-> \"" + m + "\"]");
    }
    return "<<" + String.join(",\n           ", recs) + ">>";
  }

  /** {@code CASE arms OTHER -> other}, or {@code other} without arms (TLA+ needs one before OTHER). */
  private static String cases(StringBuilder arms, String other) {
    return arms.length() == 0 ? other : "CASE " + arms + "OTHER -> " + other;
  }

  static String module(SystemLitmus l) {
    boolean vm = l.system().equals("GpuMemVm");
    List<String> consts = new ArrayList<>(threads(l));
    consts.addAll(List.of("Th_rival", "Cx_x1", "Cx_x2", "Is_m1"));
    l.bos().keySet().forEach(b -> consts.add(bo(b)));
    l.ghosts().forEach(g -> consts.add(ghost(g)));
    l.vram().forEach(r -> consts.add(range(r)));
    l.sysmem().forEach(r -> consts.add(range(r)));
    engines(l).forEach(e -> consts.add(engine(e.name())));
    consts.addAll(fences(l));
    List<Engine> es = engines(l);
    StringBuilder ctx = new StringBuilder();
    StringBuilder seq = new StringBuilder();
    StringBuilder ectx = new StringBuilder();
    for (int i = 0; i < es.size(); i++) {
      Engine e = es.get(i);
      ectx.append("e = ").append(engine(e.name())).append(" -> ").append(i + 1).append(" [] ");
      for (int j = 0; j < e.fences().size(); j++) {
        ctx.append("f = ").append(fence(e.fences().get(j))).append(" -> ").append(i + 1).append(" [] ");
        seq.append("f = ").append(fence(e.fences().get(j))).append(" -> ").append(j + 1).append(" [] ");
      }
    }
    StringBuilder place = new StringBuilder();
    l.bos().forEach((b, r) -> place.append("b = ").append(bo(b)).append(" -> ")
        .append(r == null ? "None" : range(r)).append(" [] "));
    Set<String> modes = l.script().stream().filter(o -> o.kind().equals("submit")).map(o -> '"' + o.args().get(2) + '"')
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> flows = l.script().stream().filter(o -> o.kind().equals("rebind") || o.kind().equals("unmap"))
        .map(o -> '"' + o.kind() + '"').collect(Collectors.toCollection(TreeSet::new));
    String idle = vm ? "op = IdleOp /\\ vop = VIdle" : "op = IdleOp";
    String starts = vm ? "(op = IdleOp /\\ op' # IdleOp) \\/ (vop = VIdle /\\ vop' # VIdle)"
        : "op = IdleOp /\\ op' # IdleOp";
    StringBuilder sb = new StringBuilder();
    sb.append("---- MODULE MCSystem ----\n");
    sb.append("\\* Generated by syncref check from ").append(l.file().replace('\n', ' ')).append("\n");
    sb.append("EXTENDS MC").append(l.system()).append(", TLC\n");
    sb.append("CONSTANTS ").append(String.join(", ", consts)).append("\n");
    sb.append("SFenceCtx == [f \\in Fences |-> ").append(cases(ctx, "0")).append("]\n");
    sb.append("SFenceSeqno == [f \\in Fences |-> ").append(cases(seq, "0")).append("]\n");
    sb.append("SFenceIs64 == [f \\in Fences |-> FALSE]\n");
    sb.append("SIssuer == [f \\in Fences |-> Is_m1]\n");
    sb.append("SIssuerOps == [m \\in Modules |-> {}]\n");
    sb.append("SEmpty == {}\n");
    sb.append("SEngineCtx == [e \\in Engines |-> CASE ").append(ectx).append("OTHER -> 0]\n");
    sb.append("SUserEngines == ").append(set(l.engines().stream().filter(e -> e.role().equals("user"))
        .map(e -> engine(e.name())).toList())).append("\n");
    sb.append("SRangeDom == [r \\in Ranges |-> IF r \\in ").append(set(l.vram().stream().map(SystemCheck::range).toList()))
        .append(" THEN \"VRAM\" ELSE \"SYSTEM\"]\n");
    sb.append("SInitPlace == [b \\in BOs |-> CASE ").append(place).append("OTHER -> None]\n");
    sb.append("SModes == ").append(set(List.copyOf(modes))).append("\n");
    if (vm) {
      sb.append("SVmFlows == ").append(set(List.copyOf(flows))).append("\n");
    }
    sb.append("\\* The script: the operations in the file's order, each started once the previous one ended.\n");
    sb.append("VARIABLE pc\n");
    sb.append("Script == ").append(script(l)).append("\n");
    sb.append("CpuIdle == ").append(idle).append("\n");
    sb.append("OpStarts == ").append(starts).append("\n");
    sb.append("OpMatches(s) ==\n");
    sb.append("    CASE s.k = \"submit\" -> op'.k = \"submit\" /\\ op'.o = s.o /\\ op'.m = s.m /\\ EngineOf(op'.f) = s.e\n");
    sb.append("      [] s.k \\in {\"evict\", \"movein\"} -> op'.k = s.k /\\ op'.o = s.o\n");
    sb.append(vm ? "      [] OTHER -> vop'.k = s.k\n" : "      [] OTHER -> FALSE\n");
    sb.append("ScriptInit == ").append(vm ? "VmInit" : "GpuInit").append(" /\\ pc = 1\n");
    sb.append("ScriptNext ==\n");
    sb.append("    /\\ ").append(vm ? "VmNext" : "GpuNext").append("\n");
    sb.append("    /\\ IF OpStarts THEN CpuIdle /\\ pc <= Len(Script) /\\ OpMatches(Script[pc]) /\\ pc' = pc + 1\n");
    sb.append("                 ELSE pc' = pc\n");
    sb.append("ScriptDone == pc > Len(Script) /\\ CpuIdle\n");
    sb.append("====\n");
    return sb.toString();
  }

  static String config(SystemLitmus l) {
    boolean vm = l.system().equals("GpuMemVm");
    List<String> all = new ArrayList<>(threads(l));
    all.addAll(List.of("Th_rival", "Cx_x1", "Cx_x2", "Is_m1"));
    List<String> bos = l.bos().keySet().stream().map(SystemCheck::bo).toList();
    List<String> ghosts = l.ghosts().stream().map(SystemCheck::ghost).toList();
    List<String> ranges = new ArrayList<>(l.vram().stream().map(SystemCheck::range).toList());
    ranges.addAll(l.sysmem().stream().map(SystemCheck::range).toList());
    List<String> engines = engines(l).stream().map(e -> engine(e.name())).toList();
    all.addAll(bos);
    all.addAll(ghosts);
    all.addAll(ranges);
    all.addAll(engines);
    all.addAll(fences(l));
    List<String> resvs = new ArrayList<>(bos);
    resvs.addAll(ghosts);
    StringBuilder sb = new StringBuilder("CONSTANTS\n");
    sb.append("  Threads = ").append(set(threads(l))).append("\n");
    sb.append("  Cpu = Th_cpu\n  Gpu = Th_gpu\n");
    sb.append("  Fences = ").append(set(fences(l))).append("\n");
    sb.append("  Callbacks = {}\n  Modules = {Is_m1}\n");
    sb.append("  BOs = ").append(set(bos)).append("\n");
    sb.append("  Ghosts = ").append(set(ghosts)).append("\n");
    sb.append("  Resvs = ").append(set(resvs)).append("\n");
    sb.append("  Ranges = ").append(set(ranges)).append("\n");
    sb.append("  Engines = ").append(set(engines)).append("\n");
    sb.append("  CopyEngine = ").append(engine(l.engine("copy").name())).append("\n");
    for (String c : all) {
      sb.append("  ").append(c).append(" = ").append(c).append("\n");
    }
    sb.append("""
          Containers <- SEmpty
          FenceCtx <- SFenceCtx
          FenceSeqno <- SFenceSeqno
          FenceIs64 <- SFenceIs64
          FenceIssuer <- SIssuer
          IssuerOps <- SIssuerOps
          EngineCtx <- SEngineCtx
          UserEngines <- SUserEngines
          RangeDom <- SRangeDom
          InitPlace <- SInitPlace
          UserModes <- SModes
          MaxRefs = 1
          SeqnoMod = 64
          Timeouts <- SEmpty
          ErrorArgs <- SEmpty
          IssuerInOrder = TRUE
          None = None
          Mutant = "none"
          MaxFences = 8
          MaxLists = 8
          ResvMutant = "none"
          ModelUsages = {0, 1, 2, 3}
          MaxReserve = 1
          ModelCalls <- SEmpty
          Contention = FALSE
          Rival = Th_rival
          CpuTicket = Cx_x1
          RivalTicket = Cx_x2
        """);
    sb.append("  MaxContext = ").append(engines.size()).append("\n");
    sb.append("  RivalObj = ").append(bos.get(0)).append("\n");
    sb.append("  GpuMutant = \"").append(l.mutant()).append("\"\n");
    if (vm) {
      sb.append("  VmWorker = Th_vmw\n");
      sb.append("  VmBo = ").append(bo(l.vmBo())).append("\n");
      sb.append("  PtEngine = ").append(engine(l.engine("pt").name())).append("\n");
      sb.append("  LrEngine = ").append(engine(l.engine("lr").name())).append("\n");
      sb.append("  StubFence = ").append(l.mutant().equals("replace_stub") ? fence("stub") : "None").append("\n");
      sb.append("  VmFlows <- SVmFlows\n");
    }
    // every other constant as the system's CI model sets it (constants added to the spec later,
    // the MC module's own model values), so a new constant of GpuMem.tla needs no change here
    java.util.regex.Matcher set = java.util.regex.Pattern.compile("(?m)^\\s*([A-Za-z_]\\w*)\\s*(=|<-)").matcher(sb);
    Set<String> given = new java.util.HashSet<>();
    while (set.find()) {
      given.add(set.group(1));
    }
    for (String[] a : mcConstants(l.system())) {
      if (given.add(a[0])) {
        sb.append("  ").append(a[0]).append(' ').append(a[1]).append(' ').append(a[2]).append("\n");
      }
    }
    sb.append("INIT ScriptInit\nNEXT ScriptNext\nINVARIANTS\n  ").append(vm ? "VmTypeOK" : "GpuTypeOK").append("\n");
    for (String i : l.invariants()) {
      sb.append("  ").append(i).append("\n");
    }
    sb.append("PROPERTIES\n");
    for (String p : l.properties()) {
      sb.append("  ").append(p).append("\n");
    }
    sb.append("CHECK_DEADLOCK FALSE\n");
    return sb.toString();
  }

  /**
   * The constant assignments of spec/GpuMem/MC{system}.cfg ({@code NAME = VALUE}, {@code NAME <-
   * DEF}), several per line as that file writes them.
   */
  static List<String[]> mcConstants(String system) {
    Path cfg = org.syncref.modelcheck.Checkout.require().resolve("spec/GpuMem/MC" + system + ".cfg");
    String text;
    try {
      text = Files.readString(cfg).replaceAll("\\\\\\*[^\\n]*", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    java.util.regex.Matcher sec = java.util.regex.Pattern.compile(
        "(?s)CONSTANTS?\\s(.*?)(?=^\\s*(INIT|NEXT|SPECIFICATION|INVARIANTS?|PROPERTIES|PROPERTY|VIEW|CHECK_DEADLOCK"
            + "|CONSTRAINTS?|SYMMETRY)\\b|\\z)", java.util.regex.Pattern.MULTILINE).matcher(text);
    List<String[]> out = new ArrayList<>();
    if (!sec.find()) {
      return out;
    }
    java.util.regex.Matcher a = java.util.regex.Pattern.compile(
        "([A-Za-z_]\\w*)\\s*(=|<-)\\s*(\\{[^}]*\\}|\"[^\"]*\"|-?\\w+)").matcher(sec.group(1));
    while (a.find()) {
      out.add(new String[] {a.group(1), a.group(2), a.group(3).replaceAll("\\s+", " ")});
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Exploration

  /** What a final state says the system did. */
  record Outcome(List<String> order, Set<String> violated, Set<String> accesses, Map<String, String> place,
      boolean done, String stuck) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("signaled " + order);
      sb.append("; violated ").append(violated.isEmpty() ? "none" : set(List.copyOf(violated)));
      sb.append("; place ").append(place.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
          .collect(Collectors.joining(" ")));
      sb.append(done ? "" : "; deadlock (" + stuck + ")");
      sb.append("; accesses ").append(String.join(" ", accesses));
      return sb.toString();
    }
  }

  /** The exploration's result. */
  static final class Result {
    int states;
    int positive;
    int negative;
    int stuck;
    boolean truncated;
    final Map<Outcome, List<String>> outcomes = new LinkedHashMap<>();
    final Map<Outcome, Boolean> satisfies = new LinkedHashMap<>();
  }

  private record Node(TLCState s, Set<String> viol, List<String> order) {
    String key() {
      s.deepNormalize();
      return s + "|" + viol + "|" + order;
    }
  }

  private static String name(IValue v) {
    String t = v.toString();
    return SpecModel.litmusName(t.startsWith("\"") ? t.substring(1, t.length() - 1) : t);
  }

  private static List<String> trueKeys(IValue fcn) {
    FcnRcdValue f = (FcnRcdValue) ((tlc2.value.impl.Value) fcn).toFcnRcd();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < f.domain.length; i++) {
      if (f.values[i] == BoolValue.ValTrue) {
        out.add(name(f.domain[i]));
      }
    }
    return out;
  }

  private static IValue field(IValue rec, String f) {
    return ((RecordValue) rec).select(new StringValue(f));
  }

  Result explore(SystemLitmus l, TlcEvaluator ev) {
    Result res = new Result();
    Map<String, Integer> ids = new HashMap<>();
    List<Integer> parent = new ArrayList<>();
    List<String> via = new ArrayList<>();
    ArrayDeque<Node> stack = new ArrayDeque<>();
    TLCState init = ev.initialState();
    List<String> bad = ev.violatedInvariants(init);
    Node n0 = new Node(init, new TreeSet<>(bad), List.of());
    typeCheck(n0, l);
    ids.put(n0.key(), 0);
    parent.add(-1);
    via.add(null);
    stack.push(n0);
    List<ActionInstance> actions = ev.actions();
    while (!stack.isEmpty()) {
      Node s = stack.pop();
      int id = ids.get(s.key());
      boolean any = false;
      for (ActionInstance a : actions) {
        for (TLCState t : ev.successors(a, s.s())) {
          any = true;
          TreeSet<String> viol = new TreeSet<>(s.viol());
          viol.addAll(ev.violatedActionProperties(s.s(), t));
          viol.addAll(ev.violatedInvariants(t));
          List<String> order = s.order();
          List<String> was = trueKeys(TlcEvaluator.get(s.s(), "signaled"));
          List<String> now = trueKeys(TlcEvaluator.get(t, "signaled"));
          now.removeAll(was);
          if (!now.isEmpty()) {
            order = new ArrayList<>(order);
            order.addAll(now);
            order = List.copyOf(order);
          }
          Node n = new Node(t, viol, order);
          typeCheck(n, l);
          String k = n.key();
          if (!ids.containsKey(k)) {
            ids.put(k, parent.size());
            parent.add(id);
            via.add(label(s.s(), t, now));
            if (parent.size() > MAX_STATES) {
              res.truncated = true;
              res.states = parent.size();
              return res;
            }
            stack.push(n);
          }
        }
      }
      if (!any) {
        Outcome o = outcome(s, l);
        boolean sat = eval(l.exists(), o);
        if (sat) {
          res.positive++;
        } else {
          res.negative++;
        }
        if (!o.done()) {
          res.stuck++;
        }
        if (!res.outcomes.containsKey(o)) {
          List<String> path = new ArrayList<>();
          for (int i = id; i > 0; i = parent.get(i)) {
            path.add(0, via.get(i));
          }
          res.outcomes.put(o, path);
          res.satisfies.put(o, sat);
        }
      }
    }
    res.states = parent.size();
    return res;
  }

  private static void typeCheck(Node n, SystemLitmus l) {
    String type = l.system().equals("GpuMemVm") ? "VmTypeOK" : "GpuTypeOK";
    if (n.viol().contains(type)) {
      throw new IllegalStateException("the spec's state violates " + type + ": " + n.s());
    }
  }

  private static Outcome outcome(Node n, SystemLitmus l) {
    TLCState s = n.s();
    Set<String> acc = new TreeSet<>();
    for (IValue a : ((SetEnumValue) ((tlc2.value.impl.Value) TlcEvaluator.get(s, "accesses")).toSetEnum()).elements()
        .all()) {
      acc.add(name(field(a, "j")) + "@" + name(field(a, "r")) + "/" + ((IntValue) field(a, "ten")).val);
    }
    Map<String, String> place = new TreeMap<>();
    FcnRcdValue p = (FcnRcdValue) ((tlc2.value.impl.Value) TlcEvaluator.get(s, "place")).toFcnRcd();
    for (int i = 0; i < p.domain.length; i++) {
      place.put(name(p.domain[i]), name(p.values[i]));
    }
    int pc = ((IntValue) TlcEvaluator.get(s, "pc")).val;
    IValue op = TlcEvaluator.get(s, "op");
    String kind = name(field(op, "k"));
    IValue vop = l.system().equals("GpuMemVm") ? TlcEvaluator.get(s, "vop") : null;
    String vkind = vop == null ? "idle" : name(field(vop, "k"));
    boolean done = pc > l.script().size() && kind.equals("idle") && vkind.equals("idle");
    String stuck = null;
    if (!done) {
      if (!kind.equals("idle") || !vkind.equals("idle")) {
        stuck = "inside " + l.script().get(pc - 2) + ", at its step " + (kind.equals("idle")
            ? ((IntValue) field(vop, "s")).val : ((IntValue) field(op, "s")).val);
      } else {
        stuck = l.script().get(pc - 1) + " cannot start";
      }
    }
    Set<String> viol = new TreeSet<>(n.viol());
    return new Outcome(n.order(), viol, acc, place, done, stuck);
  }

  /**
   * The spec's action for a change of the CPU's {@code op} or the VM worker's {@code vop}:
   * "kind:from:to", 0 for idle (GpuMem.tla's and GpuMemVm.tla's step numbers).
   */
  private static final Map<String, String> ACTIONS = Map.ofEntries(
      Map.entry("submit:0:2", "SubmitBegin"), Map.entry("submit:2:3", "SubmitReserve"),
      Map.entry("submit:3:4", "SubmitArm"), Map.entry("submit:4:5", "SubmitAdd"), Map.entry("submit:5:0", "SubmitUnlock"),
      Map.entry("evict:0:2", "EvictBegin"), Map.entry("evict:2:3", "EvictReserve"), Map.entry("evict:3:4", "EvictArm"),
      Map.entry("evict:4:5", "EvictAdd"), Map.entry("evict:5:0", "EvictUnlock"),
      Map.entry("movein:0:2", "MoveInBegin"), Map.entry("movein:2:3", "MoveInAlloc"), Map.entry("movein:2:5", "MoveInAlloc"),
      Map.entry("movein:3:4", "MoveInAddMoveFence"), Map.entry("movein:4:5", "MoveInReserve"),
      Map.entry("movein:5:6", "MoveInArm"), Map.entry("movein:6:7", "MoveInAdd"), Map.entry("movein:7:8", "MoveInGhost"),
      Map.entry("movein:8:9", "MoveInGhostReserve"), Map.entry("movein:9:10", "MoveInGhostAdd"),
      Map.entry("movein:10:11", "MoveInGhostUnlock"), Map.entry("movein:11:0", "MoveInUnlock"),
      Map.entry("start:0:2", "LrStartBegin"), Map.entry("start:2:3", "LrStartReserve"), Map.entry("start:3:4", "LrStartArm"),
      Map.entry("start:4:5", "LrStartAdd"), Map.entry("start:5:0", "LrStartUnlock"),
      Map.entry("rebind:0:2", "RebindBegin"), Map.entry("rebind:2:3", "RebindReserve"),
      Map.entry("rebind:2:6", "RebindReserve"), Map.entry("rebind:3:4", "RebindArm"), Map.entry("rebind:4:5", "RebindAdd"),
      Map.entry("rebind:5:6", "RebindWait"), Map.entry("rebind:6:7", "RebindReserve2"),
      Map.entry("rebind:7:8", "RebindArmFence"), Map.entry("rebind:8:9", "RebindResume"),
      Map.entry("rebind:9:0", "RebindUnlock"),
      Map.entry("unmap:0:2", "UnmapBegin"), Map.entry("unmap:2:3", "UnmapArm"), Map.entry("unmap:2:5", "UnmapArm"),
      Map.entry("unmap:3:4", "UnmapStubInit"), Map.entry("unmap:4:5", "UnmapStubSignal"),
      Map.entry("unmap:5:6", "UnmapReplace"), Map.entry("unmap:6:0", "UnmapUnlock"));

  /** ptes as "b1 -> s2 (tenure 1)", or "nothing". */
  private static String mapping(IValue ptes) {
    FcnRcdValue f = (FcnRcdValue) ((tlc2.value.impl.Value) ptes).toFcnRcd();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < f.domain.length; i++) {
      for (IValue b : ((SetEnumValue) ((tlc2.value.impl.Value) f.values[i]).toSetEnum()).elements().all()) {
        out.add(name(f.domain[i]) + " -> " + name(field(b, "r")) + " (tenure " + ((IntValue) field(b, "ten")).val + ")");
      }
    }
    return out.isEmpty() ? "nothing" : String.join(", ", out);
  }

  /** The file's name of a spec op kind. */
  private static String opName(String kind) {
    return switch (kind) {
      case "movein" -> "move_in";
      case "start" -> "lr_start";
      default -> kind;
    };
  }

  private static int stepOf(IValue opRec) {
    return name(field(opRec, "k")).equals("idle") ? 0 : ((IntValue) field(opRec, "s")).val;
  }

  /** A step's description: the spec action (or actions) it is, and what it did. */
  private static String label(TLCState s, TLCState t, List<String> signaled) {
    List<String> parts = new ArrayList<>();
    for (String v : List.of("op", "vop")) {
      IValue a = TlcEvaluator.get(s, v);
      IValue b = TlcEvaluator.get(t, v);
      if (a != null && !a.equals(b)) {
        String kind = name(field(stepOf(b) == 0 ? a : b, "k"));
        String key = kind + ":" + stepOf(a) + ":" + stepOf(b);
        String obj = name(field(stepOf(b) == 0 ? a : b, "o"));
        parts.add((v.equals("op") ? "CPU " : "VM worker ") + ACTIONS.getOrDefault(key, kind + " step " + stepOf(b))
            + " (" + opName(kind) + (obj.equals("None") ? "" : " " + obj) + ")");
      }
    }
    boolean cpu = !parts.isEmpty();
    IValue a0 = TlcEvaluator.get(s, "accesses");
    IValue a1 = TlcEvaluator.get(t, "accesses");
    Set<String> acc = new TreeSet<>();
    if (!a0.equals(a1)) {
      for (IValue a : ((SetEnumValue) ((tlc2.value.impl.Value) a1).toSetEnum()).elements().all()) {
        if (!((tlc2.value.impl.Value) a0).member((tlc2.value.impl.Value) a)) {
          acc.add(name(field(a, "r")) + " (tenure " + ((IntValue) field(a, "ten")).val + ")");
        }
      }
    }
    IValue lr0 = TlcEvaluator.get(s, "lr");
    boolean preempt = lr0 != null && !lr0.equals(TlcEvaluator.get(t, "lr")) && name(TlcEvaluator.get(t, "lr"))
        .equals("preempted");
    IValue pt0 = TlcEvaluator.get(s, "ptes");
    boolean ptes = pt0 != null && !pt0.equals(TlcEvaluator.get(t, "ptes"));
    if (!signaled.isEmpty() && !cpu) {
      String f = String.join(", ", signaled);
      parts.add(preempt ? "GPU LrPreempt: the context is off the hardware, " + f + " signals"
          : (ptes ? "GPU RunPtJob(" + f + "): the page tables now map " + mapping(TlcEvaluator.get(t, "ptes"))
          : "GPU RunJob(" + f + ")" + (acc.isEmpty() ? "" : ": touches " + String.join(", ", acc))));
    } else if (!acc.isEmpty()) {
      parts.add("LrAccess: the context touches " + String.join(", ", acc));
    } else if (!cpu && !TlcEvaluator.get(s, "owner").equals(TlcEvaluator.get(t, "owner"))) {
      parts.add("GhostFree: the delayed delete frees a ghost's range");
    } else if (!cpu && !TlcEvaluator.get(s, "nextCtx").equals(TlcEvaluator.get(t, "nextCtx"))) {
      parts.add("DriverLoad: the engines' fence contexts");
    } else if (!signaled.isEmpty()) {
      parts.add(String.join(", ", signaled) + " signals");
    }
    return parts.isEmpty() ? "(a step that changes no history)" : String.join("; ", parts);
  }

  static boolean eval(Cond c, Outcome o) {
    if (c == null) {
      return true;
    }
    if (c instanceof Or x) {
      return eval(x.a(), o) || eval(x.b(), o);
    }
    if (c instanceof And x) {
      return eval(x.a(), o) && eval(x.b(), o);
    }
    if (c instanceof Not x) {
      return !eval(x.a(), o);
    }
    if (c instanceof Const x) {
      return x.value();
    }
    Atom a = (Atom) c;
    List<String> g = a.args();
    return switch (a.kind()) {
      case "violated" -> o.violated().contains(g.get(0));
      case "order" -> o.order().contains(g.get(0)) && o.order().contains(g.get(1))
          && o.order().indexOf(g.get(0)) < o.order().indexOf(g.get(1));
      case "done" -> o.order().contains(g.get(0));
      case "access" -> o.accesses().stream().anyMatch(x -> x.startsWith(g.get(0) + "@" + g.get(1) + "/"));
      case "place" -> g.get(1).equals(o.place().get(g.get(0)));
      case "deadlock" -> !o.done();
      default -> throw new IllegalStateException("unknown atom " + a.kind());
    };
  }

  // ------------------------------------------------------------------------------------------
  // The report

  /** Loads the generated model of {@code l} into TLC's evaluator. */
  TlcEvaluator load(SystemLitmus l, Path specRoot) {
    try {
      Files.createDirectories(scratch);
      Files.writeString(scratch.resolve("MCSystem.tla"), module(l));
      Files.writeString(scratch.resolve("MCSystem.cfg"), config(l));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Path> lib = List.of(specRoot.resolve("GpuMem"), specRoot.resolve("DmaResv"), specRoot.resolve("DmaFence"),
        specRoot.resolve("WwMutex"));
    return TlcEvaluator.loadReplacing(scratch, "MCSystem", "MCSystem", lib);
  }

  /** Checks a parsed file and prints its report; returns whether the header holds. */
  public boolean check(SystemLitmus l, Path file, Path specRoot) {
    out.println("Test " + l.name() + " (" + file + ")");
    out.println("  system " + l.system() + (l.mutant().equals("none") ? "" : ", mutant " + l.mutant())
        + "; spec only: no Java system model, no kernel oracle");
    long t0 = System.nanoTime();
    TlcEvaluator ev = load(l, specRoot);
    Result r = explore(l, ev);
    double secs = (System.nanoTime() - t0) / 1e9;
    if (r.truncated) {
      out.printf("  the scenario has more than %,d states: simplify it%n", MAX_STATES);
      return false;
    }
    boolean fail = false;
    if (l.exists() != null) {
      String result = r.positive == 0 ? "Never" : r.negative == 0 ? "Always" : "Sometimes";
      String expected = l.expected();
      String cmp = expected == null ? "" : expected.equals(result) ? "   OK" : "   MISMATCH (header: " + expected + ")";
      out.printf("  Result: %s   Positive: %d Negative: %d   (final states; %,d states, %.2f s)%s%n", result,
          r.positive, r.negative, r.states, secs, cmp);
      if (expected != null && !expected.equals(result)) {
        fail = true;
        boolean want = expected.equals("Never") || expected.equals("Sometimes") && r.positive == 0;
        for (Map.Entry<Outcome, Boolean> e : r.satisfies.entrySet()) {
          if (e.getValue() == want) {
            out.println("  an execution " + (want ? "that satisfies" : "that does not satisfy") + " the exists clause:");
            printPath(r.outcomes.get(e.getKey()), e.getKey());
            break;
          }
        }
      }
    } else {
      out.printf("  no exists clause   (%d final states; %,d states, %.2f s)%n", r.positive + r.negative, r.states, secs);
    }
    if (r.stuck > 0) {
      out.printf("  note: %,d of %,d final states did not complete the script (deadlock)%n", r.stuck,
          r.positive + r.negative);
    }
    if (verbose || r.outcomes.size() <= 6) {
      out.println("  Outcomes (" + r.outcomes.size() + "):");
      for (Outcome o : r.outcomes.keySet()) {
        out.println("    " + (l.exists() == null ? "" : r.satisfies.get(o) ? "* " : "  ") + o);
      }
    } else {
      out.println("  Outcomes: " + r.outcomes.size() + " distinct (-v lists them)");
    }
    return !fail;
  }

  private void printPath(List<String> steps, Outcome end) {
    for (int i = 0; i < steps.size(); i++) {
      out.printf("    %2d. %s%n", i + 1, steps.get(i));
    }
    out.println("        => " + end);
  }
}
