package org.syncref.modelcheck.tlc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tlc2.tool.Action;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.impl.FastTool;
import tlc2.util.Context;
import tlc2.value.IValue;
import tlc2.value.impl.Value;
import util.SimpleFilenameToStream;
import util.ToolIO;
import util.UniqueString;

/**
 * A TLA+ spec loaded into TLC's evaluator once per JVM: checks concrete steps against labelled
 * actions, enumerates successors and evaluates invariants and action properties.
 *
 * <p>Notes. (1) TLC splits {@code Next} into one {@link Action} per disjunct and per binding of its
 * {@code \E}-bound variables; the bound variables must carry the same names as the parameters of
 * the operator they are passed to (a spec convention here), which is how an {@link ActionInstance}
 * gets named arguments. (2) TLC holds static state, so a second, different spec in the same JVM
 * would silently corrupt the first one's states; {@link #load} refuses that. (3) Every method must
 * be called from one thread at a time.
 */
public final class TlcEvaluator {
  private static TlcEvaluator loaded;

  private final String id;
  private final FastTool tool;
  private final List<ActionInstance> actions;
  private final Map<String, ActionInstance> byKey = new HashMap<>();
  private final Map<String, Map<List<String>, ActionInstance>> byNameArgs = new HashMap<>();
  private final Action[] invariants;
  private final List<String> variables;
  private final Map<String, UniqueString> varNames = new HashMap<>();
  private TLCState init;

  private TlcEvaluator(Path specDir, String module, String config) {
    this(specDir, module, config, libraryPath(specDir));
  }

  private TlcEvaluator(Path specDir, String module, String config, String[] library) {
    this.id = specDir.toAbsolutePath().normalize() + "/" + module + "/" + config;
    String dir = specDir.toAbsolutePath().normalize().toString();
    ToolIO.setUserDir(dir);
    this.tool = new FastTool(dir, module, config, new SimpleFilenameToStream(library));
    List<ActionInstance> list = new ArrayList<>();
    for (Action a : tool.getActions()) {
      ActionInstance ai = instance(a);
      list.add(ai);
      byNameArgs.computeIfAbsent(ai.name(), k -> new HashMap<>())
          .put(List.copyOf(ai.args().values()), ai);
      if (byKey.put(ai.key(), ai) != null) {
        throw new IllegalStateException("two disjuncts of Next are both " + ai.key());
      }
    }
    this.actions = Collections.unmodifiableList(list);
    this.invariants = tool.getInvariants();
    List<String> vars = new ArrayList<>();
    for (var decl : TLCState.vars) {
      vars.add(decl.getName().toString());
    }
    this.variables = Collections.unmodifiableList(vars);
    for (String v : vars) {
      varNames.put(v, UniqueString.uniqueStringOf(v));
    }
  }

  static {
    isolateTlcTmpdir();
  }

  /**
   * TLC (util.FilenameToStream) copies the standard modules it reads from its jar (Naturals.tla,
   * Sequences.tla, ...) to ${java.io.tmpdir}/ and rewrites them at every parse. Two JVMs that share
   * /tmp (a check beside a model-check, two test JVMs) then read each other's half-written copy,
   * and the parse fails ("Module-Table lookup failure for module name MCLitmus"). Each JVM that
   * parses specs in-process gets its own folder, as TlcRunner gives each TLC child process its
   * metadir. Runs before the first parse (FilenameToStream reads the property once, when first
   * used).
   */
  private static void isolateTlcTmpdir() {
    try {
      Path d = Files.createTempDirectory("syncref-tlc");
      d.toFile().deleteOnExit(); // registered first, deleted last: after the module copies in it
      System.setProperty("java.io.tmpdir", d.toString());
    } catch (java.io.IOException e) {
      // keep the shared folder: parses are then only safe one JVM at a time
    }
  }

  /**
   * Loads {@code module} with {@code config} (file names without extension) from {@code specDir};
   * returns the already loaded evaluator when called again with the same arguments.
   *
   * @throws IllegalStateException if this JVM already loaded a different spec or config
   */
  public static synchronized TlcEvaluator load(Path specDir, String module, String config) {
    Path cfg = specDir.resolve(config + ".cfg");
    if (!Files.isRegularFile(cfg)) {
      throw new IllegalArgumentException(cfg + ": no such config file");
    }
    String id = specDir.toAbsolutePath().normalize() + "/" + module + "/" + config;
    if (loaded != null) {
      if (!loaded.id.equals(id)) {
        throw new IllegalStateException(
            "this JVM already loaded " + loaded.id + "; TLC supports one spec per JVM, not " + id);
      }
      return loaded;
    }
    loaded = new TlcEvaluator(specDir, module, config);
    return loaded;
  }

  /** The spec this JVM loaded last ({@link #load}, {@link #loadReplacing}), if any. */
  public static synchronized Optional<TlcEvaluator> current() {
    return Optional.ofNullable(loaded);
  }

  /**
   * Loads a spec for sequential use, replacing whatever this JVM loaded before: states of the
   * previous evaluator must not be used afterwards (TLC's static variable table now belongs to
   * the new spec). For tools that check one generated model after another in one JVM, such as
   * {@code syncref check} (every litmus file is its own MCLitmus module over spec/Litmus).
   * SANY and TLC announce every module they parse on stdout; that is kept out of the caller's
   * report unless SYNCREF_DEBUG is set (then the generated model's folder is named on stderr).
   *
   * @param library folders searched for EXTENDS/INSTANCE modules after {@code specDir}
   */
  public static synchronized TlcEvaluator loadReplacing(Path specDir, String module, String config,
      List<Path> library) {
    List<String> paths = new ArrayList<>();
    paths.add(specDir.toAbsolutePath().normalize().toString());
    for (Path p : library) {
      paths.add(p.toAbsolutePath().normalize().toString());
    }
    loaded = null;
    forgetLocations();
    java.io.PrintStream stdout = System.out;
    java.io.PrintStream toolOut = util.ToolIO.out;
    try {
      if (System.getenv("SYNCREF_DEBUG") == null) {
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      } else {
        System.err.println("syncref: the generated model is in " + specDir);
      }
      util.ToolIO.out = System.out;
      loaded = new TlcEvaluator(specDir, module, config, paths.toArray(new String[0]));
    } finally {
      System.setOut(stdout);
      util.ToolIO.out = toolOut;
    }
    return loaded;
  }

  /**
   * TLC numbers every name it meets (UniqueString's loc: the slot of a variable in a state, of a
   * definition in the tool's table) once per JVM, and a new tool numbers the names it has not seen
   * from 0 again: after one spec, a second one with other names (GpuMem after MCLitmus) gets two
   * names in one slot, and a definition evaluates to another's value ("The invariant of
   * LrNoStaleAccess is equal to ... Integers.Expt"). Forgetting every number before the next spec
   * is parsed makes it numbered as in a fresh JVM.
   */
  private static void forgetLocations() {
    for (UniqueString u : UniqueString.internTbl.toMap().values()) {
      u.setLoc(-1);
    }
  }

  /**
   * The spec's folder first, then every other component folder next to it: a spec may EXTEND
   * another component's module (DmaResv extends DmaFence), as with TlcRunner's TLA-Library.
   */
  private static String[] libraryPath(Path specDir) {
    Path dir = specDir.toAbsolutePath().normalize();
    List<String> paths = new ArrayList<>();
    paths.add(dir.toString());
    Path parent = dir.getParent();
    if (parent != null) {
      try (var dirs = Files.list(parent)) {
        dirs.filter(Files::isDirectory).map(Path::toString).filter(d -> !d.equals(dir.toString()))
            .sorted().forEach(paths::add);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return paths.toArray(new String[0]);
  }

  private static ActionInstance instance(Action a) {
    String name = a.getName() == null ? a.getLocation() : a.getName().toString();
    LinkedHashMap<String, String> args = new LinkedHashMap<>();
    OpDefNode def = a.getOpDef();
    Map<String, String> bound = bindings(a.con);
    if (def != null) {
      for (FormalParamNode p : def.getParams()) {
        String pn = p.getName().toString();
        String v = bound.get(pn);
        args.put(pn, v == null ? "?" : v);
      }
    } else {
      args.putAll(bound);
    }
    return new ActionInstance(name, args, a);
  }

  /** The values bound in a TLC context, innermost binding of each name first. */
  private static Map<String, String> bindings(Context con) {
    LinkedHashMap<String, String> m = new LinkedHashMap<>();
    con.lookupName(
        sym -> {
          String n = sym.getName().toString();
          if (!m.containsKey(n)) {
            Object v = con.lookup(sym);
            m.put(n, v == null ? "?" : v.toString());
          }
          return false;
        });
    return m;
  }

  /** Every disjunct of Next with its arguments. */
  public List<ActionInstance> actions() {
    return actions;
  }

  /** The variables of the spec, in declaration order. */
  public List<String> variables() {
    return variables;
  }

  /** The action instance for a name and argument values in parameter order, if Next has it. */
  public Optional<ActionInstance> action(String name, String... argValues) {
    return Optional.ofNullable(byKey.get(ActionInstance.key(name, argValues)));
  }

  /** As {@link #action(String, String...)}, for arguments in a list. */
  public Optional<ActionInstance> action(String name, List<String> argValues) {
    Map<List<String>, ActionInstance> m = byNameArgs.get(name);
    return Optional.ofNullable(m == null ? null : m.get(argValues));
  }

  /**
   * The value of a constant of the loaded model, as its config sets it ({@code Threads = {t1,
   * t2}}, {@code FenceCtx <- CFenceCtx}), or of a definition without parameters of its modules.
   *
   * @throws IllegalArgumentException if the model has no such constant or definition
   */
  public Value constant(String name) {
    UniqueString u = UniqueString.uniqueStringOf(name);
    for (OpDeclNode d : tool.getRootModule().getConstantDecls()) {
      if (d.getName() == u) {
        return valueOf(tool.lookup(d), name);
      }
    }
    OpDefNode def = tool.getRootModule().getOpDef(u);
    if (def != null && def.getArity() == 0) {
      return valueOf(def, name);
    }
    throw new IllegalArgumentException(id + " has no constant " + name);
  }

  private Value valueOf(Object v, String name) {
    if (v instanceof OpDefNode def) {
      if (def.getArity() != 0) {
        throw new IllegalArgumentException(name + " is an operator with arguments");
      }
      Object pre = def.getToolObject(tool.getId());
      if (pre instanceof Value val) {
        return val;
      }
      return (Value) tool.eval(def.getBody(), Context.Empty, TLCState.Empty);
    }
    if (v instanceof Value val) {
      return val;
    }
    throw new IllegalArgumentException(name + " has no value in " + id + " (" + v + ")");
  }

  /** The unique initial state. */
  public TLCState initialState() {
    if (init == null) {
      StateVec v = tool.getInitStates();
      if (v.size() != 1) {
        throw new IllegalStateException("expected one initial state, found " + v.size());
      }
      init = v.elementAt(0);
    }
    return init;
  }

  /** A state from variable values; every variable of the spec must be given. */
  public TLCState state(Map<String, Value> vals) {
    TLCState s = TLCState.Empty.createEmpty();
    for (Map.Entry<String, Value> e : vals.entrySet()) {
      UniqueString name = varNames.get(e.getKey());
      if (name == null) {
        throw new IllegalArgumentException("the spec has no variable " + e.getKey());
      }
      s = s.bind(name, e.getValue());
    }
    if (!s.allAssigned()) {
      List<String> missing = new ArrayList<>(variables);
      missing.removeAll(vals.keySet());
      throw new IllegalArgumentException("state lacks variables " + missing);
    }
    return s;
  }

  /** Variable names resolved once, for {@link #state(Object, Value[])}. */
  public Object binder(List<String> order) {
    UniqueString[] names = new UniqueString[order.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = varNames.get(order.get(i));
      if (names[i] == null) {
        throw new IllegalArgumentException("the spec has no variable " + order.get(i));
      }
    }
    if (names.length != variables.size()) {
      throw new IllegalArgumentException("expected values for " + variables + ", got " + order);
    }
    return names;
  }

  /** A state from values given positionally in a binder's order. */
  public TLCState state(Object binder, Value[] vals) {
    UniqueString[] names = (UniqueString[]) binder;
    TLCState s = TLCState.Empty.createEmpty();
    for (int i = 0; i < names.length; i++) {
      s = s.bind(names[i], vals[i]);
    }
    return s;
  }

  /** Whether s -> t is a step of the given action instance. */
  public boolean isStep(ActionInstance a, TLCState s, TLCState t) {
    return tool.isValid(a.action, s, t);
  }

  /** Every action instance that allows s -> t. */
  public List<ActionInstance> matchingActions(TLCState s, TLCState t) {
    List<ActionInstance> out = new ArrayList<>();
    for (ActionInstance a : actions) {
      if (tool.isValid(a.action, s, t)) {
        out.add(a);
      }
    }
    return out;
  }

  /** The successors of s under one action instance. */
  public List<TLCState> successors(ActionInstance a, TLCState s) {
    StateVec v = tool.getNextStates(a.action, s);
    List<TLCState> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      out.add(v.elementAt(i));
    }
    return out;
  }

  /** Names of the invariants (INVARIANTS of the config) that s violates. */
  public List<String> violatedInvariants(TLCState s) {
    List<String> out = new ArrayList<>();
    for (Action inv : invariants) {
      if (!tool.isValid(inv, s)) {
        out.add(inv.getName() == null ? inv.getLocation() : inv.getName().toString());
      }
    }
    return out;
  }

  /**
   * Names of the action properties of the config ({@code PROPERTIES} of the form {@code [][A]_v},
   * which TLC checks on every step as implied actions) whose step predicate {@code [A]_v} is false
   * on the step s -&gt; t, as TLC names them.
   */
  public List<String> violatedActionProperties(TLCState s, TLCState t) {
    Action[] acts = tool.getImpliedActions();
    String[] names = tool.getImpliedActNames();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < acts.length; i++) {
      if (!tool.isValid(acts[i], s, t)) {
        out.add(names[i]);
      }
    }
    return out;
  }

  /** Handles on some invariants of the config, to check only those (see {@link #violated}). */
  public List<Object> invariants(List<String> names) {
    List<Object> out = new ArrayList<>();
    for (String n : names) {
      Action found = null;
      for (Action inv : invariants) {
        if (inv.getName() != null && inv.getName().toString().equals(n)) {
          found = inv;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("the config has no invariant " + n);
      }
      out.add(found);
    }
    return out;
  }

  /**
   * The variables an invariant (a handle from {@link #invariants}) reads, found by walking its
   * definition and the definitions it uses. Its value can only change on a step that changes one
   * of them.
   */
  public java.util.Set<String> variablesOf(Object handle) {
    java.util.Set<String> vars = new java.util.TreeSet<>();
    walk(((Action) handle).pred, vars, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    return vars;
  }

  private static void walk(tla2sany.semantic.SemanticNode n, java.util.Set<String> vars,
      java.util.Set<Object> seen) {
    if (n == null || !seen.add(n)) {
      return;
    }
    if (n instanceof tla2sany.semantic.OpApplNode app) {
      tla2sany.semantic.SymbolNode op = app.getOperator();
      if (op instanceof tla2sany.semantic.OpDeclNode decl
          && decl.getKind() == tla2sany.semantic.ASTConstants.VariableDeclKind) {
        vars.add(decl.getName().toString());
      } else if (op instanceof OpDefNode def && def.getBody() != null) {
        walk(def.getBody(), vars, seen);
      }
    }
    tla2sany.semantic.SemanticNode[] children = n.getChildren();
    if (children != null) {
      for (tla2sany.semantic.SemanticNode c : children) {
        walk(c, vars, seen);
      }
    }
  }

  /** Whether s and t differ in any of the given variables. */
  public boolean changed(java.util.Collection<String> vars, TLCState s, TLCState t) {
    for (String v : vars) {
      IValue x = s.lookup(varNames.get(v));
      IValue y = t.lookup(varNames.get(v));
      if (x == null ? y != null : !x.equals(y)) {
        return true;
      }
    }
    return false;
  }

  /** The first of the given invariants (handles from {@link #invariants}) that s violates, or null. */
  public String violated(List<Object> handles, TLCState s) {
    for (Object h : handles) {
      Action inv = (Action) h;
      if (!tool.isValid(inv, s)) {
        return inv.getName().toString();
      }
    }
    return null;
  }

  /** The value of a variable in a state. */
  public static IValue get(TLCState s, String var) {
    return s.lookup(UniqueString.uniqueStringOf(var));
  }

  /**
   * Why s -> t is not a step of {@code a}: the variables in which t differs from the closest
   * successor the spec allows, or that the action is not enabled in s at all.
   */
  public String explain(ActionInstance a, TLCState s, TLCState t) {
    List<TLCState> succ = successors(a, s);
    StringBuilder sb = new StringBuilder();
    if (succ.isEmpty()) {
      sb.append(a).append(" is not enabled in this state");
    } else {
      TLCState best = null;
      List<String> bestDiff = null;
      for (TLCState u : succ) {
        List<String> d = diff(u, t);
        if (bestDiff == null || d.size() < bestDiff.size()) {
          best = u;
          bestDiff = d;
        }
      }
      sb.append(a).append(" is enabled, but the implementation's state differs from the spec's");
      sb.append(succ.size() == 1 ? " successor:" : " closest of " + succ.size() + " successors:");
      for (String v : bestDiff) {
        sb.append("\n      ").append(v).append(": spec ").append(get(best, v))
            .append(", impl ").append(get(t, v));
      }
    }
    List<ActionInstance> others = matchingActions(s, t);
    if (!others.isEmpty()) {
      sb.append("\n    (the step matches ").append(others.get(0)).append(" instead)");
    }
    return sb.toString();
  }

  /** The variables whose values differ between two states. */
  public List<String> diff(TLCState a, TLCState b) {
    List<String> out = new ArrayList<>();
    for (String v : variables) {
      IValue x = a.lookup(varNames.get(v));
      IValue y = b.lookup(varNames.get(v));
      if (x == null ? y != null : !x.equals(y)) {
        out.add(v);
      }
    }
    return out;
  }
}
