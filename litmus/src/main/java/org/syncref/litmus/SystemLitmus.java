package org.syncref.litmus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.syncref.modelcheck.BadInputException;

/**
 * A system-level litmus file: a script of operations of the GPU memory system spec
 * (spec/GpuMem/GpuMem.tla, GpuMemVm.tla) and a question over what the system did. The language is
 * in docs/litmus.md, section "System-level questions". Example:
 *
 * <pre>
 * litmus system-evict-reader-never-stale
 * system GpuMem
 * vram v1
 * sysmem s1 s2
 * bo b1 at v1
 * bo b2 at s1
 * ghost h1
 * engine gfx user g1
 * engine sdma copy c1 c2
 * g1 = submit(gfx, b1, read)
 * c1 = evict(b1)
 * c2 = move_in(b2)
 * exists violated(NoStaleAccess)
 * </pre>
 */
public record SystemLitmus(String file, String name, String system, String mutant, List<String> vram,
    List<String> sysmem, Map<String, String> bos, List<String> ghosts, List<Engine> engines, String vmBo,
    List<Op> script, Cond exists, String expected) {

  /** The systems a file may run on: the GpuMem modules with an MC module. */
  public static final List<String> SYSTEMS = List.of("GpuMem", "GpuMemVm");
  /** Engine roles: user submissions, TTM's copies, page-table updates, the long-running context. */
  public static final List<String> ROLES = List.of("user", "copy", "pt", "lr");
  /** Submission modes (GpuMem's UserModes). */
  public static final List<String> MODES = List.of("read", "write", "explicit");
  /** Operations: the name in a file, its arguments, the systems it exists in. */
  public static final Map<String, List<String>> OPS = Map.of(
      "submit", List.of("engine", "bo", "mode"), "evict", List.of("bo"), "move_in", List.of("bo"),
      "lr_start", List.of(), "rebind", List.of(), "unmap", List.of());
  /** Limits: a system scenario is a few operations on a tiny model. */
  public static final int MAX_ENGINE_FENCES = 6;
  public static final int MAX_ENGINES = 5;
  public static final int MAX_OPS = 10;
  public static final int MAX_NAMES = 32;
  static final Set<String> VM_OPS = Set.of("lr_start", "rebind", "unmap");
  /** The question's atoms and their argument kinds. */
  static final Map<String, List<String>> ATOMS = Map.of(
      "violated", List.of("property"), "order", List.of("fence", "fence"), "done", List.of("fence"),
      "access", List.of("fence", "range"), "place", List.of("bo", "range"), "deadlock", List.of());
  /** The stable IDs a question may name instead, with the properties that check each (spec/GpuMem/README.md). */
  static final Map<String, List<String>> PROPERTY_IDS = Map.of(
      "MEM-NO-STALE-ACCESS", List.of("NoStaleAccess", "LrNoStaleAccess"),
      "MEM-KERNEL-FIRST", List.of("KernelFirst"),
      "MEM-FREE-UNREACHABLE", List.of("FreeUnreachable"),
      "MEM-RW-ORDERED", List.of("RwOrdered"),
      "MEM-PT-BOOKKEEP", List.of("PtBookkeep"));
  /** Properties a question may name, per system: GpuMem's, and GpuMemVm's own besides. */
  static final List<String> GPU_PROPERTIES = List.of("NoStaleAccess", "KernelFirst", "FreeUnreachable",
      "RwOrdered");
  static final List<String> GPU_INVARIANTS = List.of("NoKernelBug", "ImplicitSync");
  static final List<String> VM_PROPERTIES = List.of("PtBookkeep");
  static final List<String> VM_INVARIANTS = List.of("LrNoStaleAccess");

  /** An engine: its role and the finished fences of its jobs, in seqno order. */
  public record Engine(String name, String role, List<String> fences) {}

  /** One operation of the script; {@code fence} is the job fence it arms (named or not). */
  public record Op(String kind, List<String> args, String fence, int line, int col) {
    @Override
    public String toString() {
      return (fence == null ? "" : fence + " = ") + kind + "(" + String.join(", ", args) + ")";
    }
  }

  /** The question. */
  public sealed interface Cond permits Or, And, Not, Atom, Const {}

  public record Or(Cond a, Cond b) implements Cond {}

  public record And(Cond a, Cond b) implements Cond {}

  public record Not(Cond a) implements Cond {}

  public record Atom(String kind, List<String> args) implements Cond {}

  public record Const(boolean value) implements Cond {}

  /** The properties of the file's system. */
  public List<String> properties() {
    List<String> p = new ArrayList<>(GPU_PROPERTIES);
    if (system.equals("GpuMemVm")) {
      p.addAll(VM_PROPERTIES);
    }
    return p;
  }

  /** The invariants of the file's system besides its type invariant. */
  public List<String> invariants() {
    List<String> p = new ArrayList<>(GPU_INVARIANTS);
    if (system.equals("GpuMemVm")) {
      p.addAll(VM_INVARIANTS);
    }
    return p;
  }

  public Engine engine(String role) {
    return engines.stream().filter(e -> e.role().equals(role)).findFirst().orElse(null);
  }

  /**
   * Whether the file is a system-level file: its first statement is {@code litmus NAME} and its
   * second {@code system ...}. Unreadable files are not (the litmus parser reports them).
   */
  public static boolean isSystemFile(Path path) {
    return systemAt(path) != null;
  }

  /** Where a system-level file says {@code system}: "LINE:COL", or null for any other file. */
  public static String systemAt(Path path) {
    try {
      if (!Files.isRegularFile(path) || Files.size(path) > LitmusParser.MAX_FILE_BYTES) {
        return null;
      }
      String[] lines = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).split("\n", -1);
      int seen = 0;
      for (int i = 0; i < lines.length; i++) {
        String raw = stripComment(i == 0 && lines[0].startsWith("\uFEFF") ? " " + lines[0].substring(1) : lines[i]);
        String st = raw.strip();
        if (st.isEmpty()) {
          continue;
        }
        seen++;
        if (seen == 1 && !st.matches("litmus\\s.*")) {
          return null;
        }
        if (seen == 2) {
          return st.matches("system(\\s.*)?") ? (i + 1) + ":" + (raw.indexOf("system") + 1) : null;
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String stripComment(String line) {
    int h = line.indexOf('#');
    int s = line.indexOf("//");
    int cut = h < 0 ? s : s < 0 ? h : Math.min(h, s);
    return cut < 0 ? line : line.substring(0, cut);
  }

  /** Reads and parses a file; bad input is one line {@code FILE:LINE:COL: what was expected}. */
  public static SystemLitmus parse(Path path) throws BadInputException {
    String f = LitmusParser.escape(path.toString());
    String text;
    try {
      if (Files.size(path) > LitmusParser.MAX_FILE_BYTES) {
        throw new BadInputException(f + ": too large (a litmus file has at most " + LitmusParser.MAX_FILE_BYTES
            + " bytes)");
      }
      text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInputException(f + ": cannot read: " + LitmusParser.escape(String.valueOf(e.getMessage())));
    }
    return parse(path.toString(), text);
  }

  /** Parses text; {@code file} names it in messages. */
  public static SystemLitmus parse(String file, String text) throws BadInputException {
    String f = LitmusParser.escape(file);
    try {
      return new Parser(file, text).run();
    } catch (ParseError e) {
      throw new BadInputException(f + ":" + e.line + ":" + e.col + ": " + LitmusParser.escape(e.getMessage()));
    } catch (RuntimeException e) {
      throw new BadInputException(f + ":1:1: internal error in the system litmus parser: "
          + LitmusParser.escape(String.valueOf(e)));
    }
  }

  /** A parse error at a position. */
  private static final class ParseError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final int col;

    ParseError(int line, int col, String msg) {
      super(msg);
      this.line = line;
      this.col = col;
    }
  }

  private record Tok(String text, int line, int col) {
    boolean is(String s) {
      return text.equals(s);
    }

    boolean ident() {
      return text.matches("[A-Za-z_][A-Za-z0-9_]*");
    }
  }

  private static final class Parser {
    private final String file;
    private final List<List<Tok>> stmts = new ArrayList<>();
    private String expected;
    private int expectedLine;
    private int endLine = 1;

    Parser(String file, String text) {
      this.file = file;
      lex(text);
    }

    /** Statements: tokens up to a newline or ';' (newlines inside parentheses are free). */
    private void lex(String text) {
      String[] lines = text.split("\n", -1);
      List<Tok> cur = new ArrayList<>();
      int depth = 0;
      for (int ln = 0; ln < lines.length; ln++) {
        String line = lines[ln];
        if (ln == 0 && line.startsWith("\uFEFF")) {
          line = " " + line.substring(1);
        }
        int c = 0;
        while (c < line.length()) {
          char ch = line.charAt(c);
          if (ch == '#' || line.startsWith("//", c)) {
            String comment = line.substring(c);
            if (expected == null && comment.contains("Result")) {
              header(comment, ln + 1, c + 1);
            }
            break;
          }
          if (ch == ' ' || ch == '\t' || ch == '\r') {
            c++;
          } else if (ch == ';') {
            flush(cur);
            cur = new ArrayList<>();
            c++;
          } else if (Character.isLetterOrDigit(ch) || ch == '_' || ch == '-' || ch == '.' || ch == '+') {
            int s = c;
            while (c < line.length() && (Character.isLetterOrDigit(line.charAt(c)) || "_-.+".indexOf(line.charAt(c)) >= 0)) {
              c++;
            }
            cur.add(new Tok(line.substring(s, c), ln + 1, s + 1));
          } else if (line.startsWith("&&", c) || line.startsWith("||", c)) {
            cur.add(new Tok(line.substring(c, c + 2), ln + 1, c + 1));
            c += 2;
          } else if ("(),=<!".indexOf(ch) >= 0) {
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            cur.add(new Tok(String.valueOf(ch), ln + 1, c + 1));
            c++;
          } else {
            throw new ParseError(ln + 1, c + 1, "unexpected character '" + ch + "'");
          }
        }
        if (depth <= 0) {
          flush(cur);
          cur = new ArrayList<>();
          depth = 0;
        }
        endLine = ln + 1;
      }
      flush(cur);
    }

    private void flush(List<Tok> cur) {
      if (!cur.isEmpty()) {
        stmts.add(cur);
      }
    }

    private void header(String comment, int line, int col) {
      java.util.regex.Matcher on = java.util.regex.Pattern.compile("Result on [A-Za-z-]+:").matcher(comment);
      if (on.find()) {
        throw new ParseError(line, col + on.start(), "a system-level file has one verdict, '# Result: V' (no kernel builds)");
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("Result:\\s*(\\S+)").matcher(comment);
      if (m.find()) {
        String v = m.group(1);
        if (!List.of("Always", "Sometimes", "Never").contains(v)) {
          throw new ParseError(line, col + m.start(1), "expected Always, Sometimes or Never after 'Result:', found '" + v + "'");
        }
        expected = v;
        expectedLine = line;
      }
    }

    private final Map<String, String> kinds = new LinkedHashMap<>(); // name -> kind
    private final Map<String, Integer> nextFence = new LinkedHashMap<>(); // engine -> next fence index
    private String system;
    private String mutant = "none";
    private final List<String> vram = new ArrayList<>();
    private final List<String> sysmem = new ArrayList<>();
    private final Map<String, String> bos = new LinkedHashMap<>();
    private final List<String> ghosts = new ArrayList<>();
    private final List<Engine> engines = new ArrayList<>();
    private String vmBo;
    private final List<Op> script = new ArrayList<>();
    private Cond exists;

    SystemLitmus run() {
      if (stmts.isEmpty()) {
        throw new ParseError(1, 1, "expected 'litmus NAME'");
      }
      List<Tok> first = stmts.get(0);
      if (!first.get(0).is("litmus") || first.size() != 2) {
        throw new ParseError(first.get(0).line, first.get(0).col, "expected 'litmus NAME' as the first statement");
      }
      String name = first.get(1).text();
      if (stmts.size() < 2 || !stmts.get(1).get(0).is("system")) {
        Tok t = stmts.size() < 2 ? first.get(1) : stmts.get(1).get(0);
        throw new ParseError(t.line, t.col, "expected 'system GpuMem' or 'system GpuMemVm'");
      }
      List<Tok> sys = stmts.get(1);
      if (sys.size() != 2 || !SYSTEMS.contains(sys.get(1).text())) {
        Tok t = sys.size() < 2 ? sys.get(0) : sys.get(1);
        throw new ParseError(t.line, t.col + (sys.size() < 2 ? 6 : 0), "expected a system after 'system': one of "
            + String.join(", ", SYSTEMS) + (sys.size() < 2 ? "" : ", found '" + sys.get(1).text() + "'"));
      }
      system = sys.get(1).text();
      for (int i = 2; i < stmts.size(); i++) {
        statement(stmts.get(i));
      }
      check();
      return new SystemLitmus(file, name, system, mutant, List.copyOf(vram), List.copyOf(sysmem),
          java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bos)), List.copyOf(ghosts), List.copyOf(engines),
          vmBo, List.copyOf(script), exists, expected);
    }

    private void statement(List<Tok> s) {
      Tok h = s.get(0);
      if (exists != null) {
        throw new ParseError(h.line, h.col, "expected nothing after the exists clause");
      }
      switch (h.text()) {
        case "mutant" -> {
          want(s, 2, "'mutant NAME'");
          mutant = s.get(1).text();
          List<String> known = gpuMutants();
          if (!known.contains(mutant)) {
            throw new ParseError(s.get(1).line, s.get(1).col, "unknown mutant '" + mutant + "' (expected one of GpuMem.tla's"
                + " GpuMutants: " + String.join(", ", known) + ")");
          }
        }
        case "vram", "sysmem" -> {
          if (s.size() < 2) {
            throw new ParseError(h.line, h.col + h.text().length() + 1, "expected range names after '" + h.text() + "'");
          }
          for (Tok t : s.subList(1, s.size())) {
            declare(t, "range");
            (h.is("vram") ? vram : sysmem).add(t.text());
          }
        }
        case "ghost" -> {
          if (s.size() < 2) {
            throw new ParseError(h.line, h.col + 6, "expected ghost object names after 'ghost'");
          }
          for (Tok t : s.subList(1, s.size())) {
            declare(t, "ghost");
            ghosts.add(t.text());
          }
        }
        case "bo" -> {
          if (!(s.size() == 2 || s.size() == 4 && s.get(2).is("at"))) {
            Tok t = s.size() > 2 ? s.get(2) : h;
            throw new ParseError(t.line, t.col, "expected 'bo NAME at RANGE' or 'bo NAME'");
          }
          String r = null;
          if (s.size() == 4) {
            r = use(s.get(3), "range");
            if (bos.containsValue(r)) {
              throw new ParseError(s.get(3).line, s.get(3).col, "range '" + r + "' already backs another bo");
            }
          }
          declare(s.get(1), "bo");
          bos.put(s.get(1).text(), r);
        }
        case "engine" -> {
          if (s.size() < 3 || !ROLES.contains(s.get(2).text())) {
            Tok t = s.size() < 3 ? s.get(s.size() - 1) : s.get(2);
            throw new ParseError(t.line, t.col, "expected 'engine NAME ROLE FENCE...' with ROLE one of "
                + String.join(", ", ROLES));
          }
          String role = s.get(2).text();
          if (!role.equals("user") && engines.stream().anyMatch(e -> e.role().equals(role))) {
            throw new ParseError(s.get(2).line, s.get(2).col, "a second '" + role + "' engine (the spec has one)");
          }
          if ((role.equals("pt") || role.equals("lr")) && !system.equals("GpuMemVm")) {
            throw new ParseError(s.get(2).line, s.get(2).col, "a '" + role + "' engine needs 'system GpuMemVm'");
          }
          declare(s.get(1), "engine");
          List<String> fs = new ArrayList<>();
          if (s.size() - 3 > MAX_ENGINE_FENCES) {
            Tok t = s.get(3 + MAX_ENGINE_FENCES);
            throw new ParseError(t.line, t.col, "at most " + MAX_ENGINE_FENCES + " fences per engine");
          }
          if (engines.size() >= MAX_ENGINES) {
            throw new ParseError(h.line, h.col, "at most " + MAX_ENGINES + " engines");
          }
          for (Tok t : s.subList(3, s.size())) {
            declare(t, "fence");
            fs.add(t.text());
          }
          engines.add(new Engine(s.get(1).text(), role, List.copyOf(fs)));
          nextFence.put(s.get(1).text(), 0);
        }
        case "vm" -> {
          want(s, 2, "'vm BO'");
          if (!system.equals("GpuMemVm")) {
            throw new ParseError(h.line, h.col, "'vm' needs 'system GpuMemVm'");
          }
          vmBo = use(s.get(1), "bo");
          if (bos.get(vmBo) == null) {
            throw new ParseError(s.get(1).line, s.get(1).col, "the VM's bo must be placed ('bo " + vmBo + " at RANGE')");
          }
        }
        case "exists" -> {
          if (s.size() < 2) {
            throw new ParseError(h.line, h.col + 6, "expected a condition after 'exists'");
          }
          Cursor c = new Cursor(s, 1);
          exists = or(c);
          if (c.i < s.size()) {
            Tok t = s.get(c.i);
            throw new ParseError(t.line, t.col, "expected '&&', '||' or the end of the condition, found '" + t.text() + "'");
          }
        }
        default -> operation(s);
      }
    }

    private void operation(List<Tok> s) {
      int i = 0;
      Tok named = null;
      if (s.size() > 1 && s.get(1).is("=")) {
        named = s.get(0);
        i = 2;
      }
      if (i >= s.size()) {
        throw new ParseError(s.get(0).line, s.get(0).col, "expected an operation after '='");
      }
      Tok op = s.get(i);
      List<String> params = OPS.get(op.text());
      if (params == null) {
        throw new ParseError(op.line, op.col, "unknown statement '" + op.text() + "' (expected a declaration: mutant vram"
            + " sysmem bo ghost engine vm; an operation: submit evict move_in lr_start rebind unmap; or exists)");
      }
      if (VM_OPS.contains(op.text()) && !system.equals("GpuMemVm")) {
        throw new ParseError(op.line, op.col, "'" + op.text() + "' needs 'system GpuMemVm'");
      }
      List<Tok> args = new ArrayList<>();
      int j = i + 1;
      if (j < s.size()) {
        if (!s.get(j).is("(")) {
          throw new ParseError(s.get(j).line, s.get(j).col, "expected '(' after '" + op.text() + "'");
        }
        j++;
        while (j < s.size() && !s.get(j).is(")")) {
          args.add(s.get(j));
          j++;
          if (j < s.size() && s.get(j).is(",")) {
            j++;
          } else if (j < s.size() && !s.get(j).is(")")) {
            throw new ParseError(s.get(j).line, s.get(j).col, "expected ',' or ')'");
          }
        }
        if (j >= s.size()) {
          Tok last = s.get(s.size() - 1);
          throw new ParseError(last.line, last.col + last.text().length(), "expected ')'");
        }
        if (j + 1 < s.size()) {
          throw new ParseError(s.get(j + 1).line, s.get(j + 1).col, "expected the end of the statement");
        }
      }
      if (args.size() != params.size()) {
        throw new ParseError(op.line, op.col, "'" + op.text() + "' takes " + params.size() + " argument"
            + (params.size() == 1 ? "" : "s") + " (" + String.join(", ", params) + "), found " + args.size());
      }
      List<String> vals = new ArrayList<>();
      for (int k = 0; k < args.size(); k++) {
        Tok a = args.get(k);
        String kind = params.get(k);
        if (kind.equals("mode")) {
          if (!MODES.contains(a.text())) {
            throw new ParseError(a.line, a.col, "expected a mode (" + String.join(", ", MODES) + "), found '" + a.text() + "'");
          }
          vals.add(a.text());
        } else {
          vals.add(use(a, kind));
        }
      }
      // the fences the operation arms, in the spec's order: the engine's next unborn fence
      List<String> roles = switch (op.text()) {
        case "submit" -> List.of("=" + vals.get(0));
        case "evict", "move_in" -> List.of("copy");
        case "lr_start" -> List.of("lr");
        case "rebind" -> List.of("pt", "lr");
        default -> List.of("pt"); // unmap
      };
      if (op.text().equals("submit")) {
        Engine e = engines.stream().filter(x -> x.name().equals(vals.get(0))).findFirst().orElseThrow();
        if (!e.role().equals("user")) {
          throw new ParseError(args.get(0).line, args.get(0).col, "engine '" + e.name() + "' is a " + e.role()
              + " engine; submit needs a user engine");
        }
      }
      if (VM_OPS.contains(op.text()) && vmBo == null) {
        throw new ParseError(op.line, op.col, "'" + op.text() + "' needs the VM's bo: 'vm BO' before it");
      }
      String armed = null;
      for (String r : roles) {
        Engine e = r.startsWith("=") ? engines.stream().filter(x -> x.name().equals(r.substring(1))).findFirst()
            .orElseThrow() : engine(r);
        if (e == null) {
          throw new ParseError(op.line, op.col, "'" + op.text() + "' needs a '" + r + "' engine: 'engine NAME " + r
              + " FENCE...' before it");
        }
        int n = nextFence.get(e.name());
        if (n >= e.fences().size()) {
          throw new ParseError(op.line, op.col, "engine '" + e.name() + "' has no fence left for '" + op.text()
              + "' (declare one more: 'engine " + e.name() + " " + e.role() + " F...')");
        }
        nextFence.put(e.name(), n + 1);
        if (armed == null) {
          armed = e.fences().get(n);
        }
      }
      if (named != null) {
        use(named, "fence");
        if (!named.text().equals(armed)) {
          throw new ParseError(named.line, named.col, "expected '" + armed + "': this operation arms the next fence of its"
              + " engine, " + armed + ", not '" + named.text() + "'");
        }
      }
      if (script.size() >= MAX_OPS) {
        throw new ParseError(op.line, op.col, "at most " + MAX_OPS + " operations (a system scenario stays small)");
      }
      script.add(new Op(op.text(), List.copyOf(vals), armed, op.line, op.col));
    }

    private void check() {
      if (system.equals("GpuMemVm") && vmBo == null) {
        throw new ParseError(endLine, 1, "expected 'vm BO' (the bo the VM maps) in a GpuMemVm file");
      }
      if (system.equals("GpuMemVm") && (engine("pt") == null || engine("lr") == null)) {
        throw new ParseError(endLine, 1, "expected a 'pt' and an 'lr' engine in a GpuMemVm file");
      }
      if (engine("copy") == null) {
        throw new ParseError(endLine, 1, "expected a 'copy' engine (TTM's moves run on it)");
      }
      if (vram.isEmpty() || sysmem.isEmpty()) {
        throw new ParseError(endLine, 1, "expected 'vram RANGE...' and 'sysmem RANGE...'");
      }
      if (bos.isEmpty()) {
        throw new ParseError(endLine, 1, "expected at least one 'bo NAME at RANGE'");
      }
      if (ghosts.isEmpty()) {
        throw new ParseError(endLine, 1, "expected 'ghost NAME' (a move into VRAM leaves a ghost)");
      }
      if (exists == null && expected != null) {
        throw new ParseError(expectedLine, 1, "the header expects " + expected + " but the file has no exists clause");
      }
    }

    private static String an(String kind) {
      return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }

    private Engine engine(String role) {
      return engines.stream().filter(e -> e.role().equals(role)).findFirst().orElse(null);
    }

    private void want(List<Tok> s, int n, String what) {
      if (s.size() != n) {
        Tok t = s.size() > n ? s.get(n) : s.get(s.size() - 1);
        throw new ParseError(t.line, t.col, "expected " + what);
      }
    }

    private void declare(Tok t, String kind) {
      if (kinds.size() >= MAX_NAMES) {
        throw new ParseError(t.line, t.col, "at most " + MAX_NAMES + " declared names");
      }
      if (!t.ident()) {
        throw new ParseError(t.line, t.col, "expected a " + kind + " name (letters, digits, _), found '" + t.text() + "'");
      }
      if (kinds.containsKey(t.text()) || OPS.containsKey(t.text()) || ATOMS.containsKey(t.text())) {
        throw new ParseError(t.line, t.col, "'" + t.text() + "' is already "
            + (kinds.containsKey(t.text()) ? "declared (" + an(kinds.get(t.text())) + ")" : "a keyword"));
      }
      kinds.put(t.text(), kind);
    }

    private String use(Tok t, String kind) {
      String k = kinds.get(t.text());
      if (k == null) {
        throw new ParseError(t.line, t.col, "unknown " + kind + " '" + t.text() + "' (declare it first)");
      }
      if (!k.equals(kind)) {
        throw new ParseError(t.line, t.col, "expected " + an(kind) + ", found '" + t.text() + "' (" + an(k) + ")");
      }
      return t.text();
    }

    private static final class Cursor {
      final List<Tok> s;
      int i;

      Cursor(List<Tok> s, int i) {
        this.s = s;
        this.i = i;
      }

      Tok peek() {
        return i < s.size() ? s.get(i) : null;
      }

      Tok next(String what) {
        if (i >= s.size()) {
          Tok last = s.get(s.size() - 1);
          throw new ParseError(last.line, last.col + last.text().length(), "expected " + what);
        }
        return s.get(i++);
      }
    }

    private Cond or(Cursor c) {
      Cond a = and(c);
      while (c.peek() != null && c.peek().is("||")) {
        c.i++;
        a = new Or(a, and(c));
      }
      return a;
    }

    private Cond and(Cursor c) {
      Cond a = unary(c);
      while (c.peek() != null && c.peek().is("&&")) {
        c.i++;
        a = new And(a, unary(c));
      }
      return a;
    }

    private Cond unary(Cursor c) {
      Tok t = c.next("a condition");
      if (t.is("!")) {
        return new Not(unary(c));
      }
      if (t.is("(")) {
        Cond a = or(c);
        Tok r = c.next("')'");
        if (!r.is(")")) {
          throw new ParseError(r.line, r.col, "expected ')', found '" + r.text() + "'");
        }
        return a;
      }
      if (t.is("true") || t.is("false")) {
        return new Const(t.is("true"));
      }
      List<String> params = ATOMS.get(t.text());
      if (params == null) {
        throw new ParseError(t.line, t.col, "expected a condition: violated(PROPERTY), order(F < G), done(F), access(F, R),"
            + " place(B, R), deadlock, true, false; found '" + t.text() + "'");
      }
      List<String> args = new ArrayList<>();
      if (!params.isEmpty()) {
        Tok l = c.next("'('");
        if (!l.is("(")) {
          throw new ParseError(l.line, l.col, "expected '(' after '" + t.text() + "'");
        }
        for (int k = 0; k < params.size(); k++) {
          if (k > 0) {
            String sep = t.is("order") ? "<" : ",";
            Tok x = c.next("'" + sep + "'");
            if (!x.is(sep)) {
              throw new ParseError(x.line, x.col, "expected '" + sep + "' in " + t.text() + "(...), found '" + x.text() + "'");
            }
          }
          Tok a = c.next("a " + params.get(k));
          if (params.get(k).equals("property") && PROPERTY_IDS.containsKey(a.text())) {
            // a stable ID: every property of this system that checks it
            List<String> names = PROPERTY_IDS.get(a.text()).stream()
                .filter(n -> system.equals("GpuMemVm") || !VM_PROPERTIES.contains(n) && !VM_INVARIANTS.contains(n))
                .toList();
            if (names.isEmpty()) {
              throw new ParseError(a.line, a.col, a.text() + " is checked in GpuMemVm only ('system GpuMemVm')");
            }
            Tok r = c.next("')'");
            if (!r.is(")")) {
              throw new ParseError(r.line, r.col, "expected ')' after the arguments of violated, found '" + r.text() + "'");
            }
            Cond or = null;
            for (String n : names) {
              Cond one = new Atom("violated", List.of(n));
              or = or == null ? one : new Or(or, one);
            }
            return or;
          }
          if (params.get(k).equals("property")) {
            List<String> known = new ArrayList<>(GPU_PROPERTIES);
            known.addAll(GPU_INVARIANTS);
            if (system.equals("GpuMemVm")) {
              known.addAll(VM_PROPERTIES);
              known.addAll(VM_INVARIANTS);
            }
            if (!known.contains(a.text())) {
              throw new ParseError(a.line, a.col, "unknown property '" + a.text() + "' of " + system + " (expected one of "
                  + String.join(", ", known) + ", or an ID: " + String.join(", ", new java.util.TreeSet<>(PROPERTY_IDS.keySet()))
                  + ")");
            }
            args.add(a.text());
          } else {
            args.add(use(a, params.get(k)));
          }
        }
        Tok r = c.next("')'");
        if (!r.is(")")) {
          throw new ParseError(r.line, r.col, "expected ')' after the arguments of " + t.text() + ", found '" + r.text() + "'");
        }
      }
      return new Atom(t.text(), List.copyOf(args));
    }
  }

  /** GpuMem.tla's GpuMutants, read from the spec (the names between its braces, in order). */
  static List<String> gpuMutants() {
    Path spec = org.syncref.modelcheck.Checkout.require().resolve("spec/GpuMem/GpuMem.tla");
    try {
      String text = Files.readString(spec);
      int i = text.indexOf("GpuMutants == {");
      int j = text.indexOf('}', i);
      List<String> out = new ArrayList<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(?:GpuMutants == \\{)?\\s*\"([a-z0-9_]+)\"",
          java.util.regex.Pattern.MULTILINE).matcher(text.substring(i, j));
      while (m.find()) {
        out.add(m.group(1));
      }
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
