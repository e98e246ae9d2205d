package org.syncref.litmus;

import java.util.List;

/**
 * A parsed litmus file: declarations, threads and the final condition. Names are the file's own;
 * every name used in a thread is declared (or, for acquire contexts and callbacks, introduced by
 * its first use), which {@link LitmusParser} checks.
 *
 * @param file the path as given on the command line (for messages)
 * @param name the test's name ({@code litmus NAME})
 * @param expected the {@code # Result:} header ("Always", "Sometimes", "Never"), or null
 * @param contexts fence contexts, in allocation order
 * @param fences fences, in declaration order, with their context and seqno
 * @param resvs dma_resv objects
 * @param classes ww_classes
 * @param mutexes ww_mutexes
 * @param ctxs acquire contexts, in order of first use
 * @param callbacks dma_fence_cb names, in order of first use
 * @param threads the threads (one, P0, if the file has no thread block)
 * @param exists the final condition, or null
 * @param expectedOn the {@code # Result on BUILD: V} headers: build name to verdict, for the
 *     builds whose verdict differs from {@code # Result:}
 */
public record Litmus(
    String file,
    String name,
    String expected,
    List<String> contexts,
    List<FenceDecl> fences,
    List<String> resvs,
    List<ClassDecl> classes,
    List<MutexDecl> mutexes,
    List<String> ctxs,
    List<String> callbacks,
    List<ThreadDecl> threads,
    Cond exists,
    java.util.Map<String, String> expectedOn) {

  /**
   * The kernel builds (WwCalls' Build, Kernel.Build#specName): production (no
   * CONFIG_DEBUG_LOCK_ALLOC), debug-lock-alloc, prove-locking.
   */
  public static final List<String> BUILDS = List.of("debug-lock-alloc", "production", "prove-locking");

  /**
   * The expected result on a kernel {@code build}: its {@code # Result on BUILD:} header, else
   * {@code # Result:} (which holds on every build unless overridden).
   */
  public String expected(String build) {
    return expectedOn.getOrDefault(build, expected);
  }

  /**
   * Whether the build can change the file's behaviour: it uses an acquire context (the
   * builds differ only in ww_mutex calls with a context: the fastpath's stale wound and the
   * deadlock injection).
   */
  public boolean buildMatters() {
    return !ctxs.isEmpty();
  }

  /** A position in the file, 1-based. */
  public record Pos(int line, int col) {
    @Override
    public String toString() {
      return line + ":" + col;
    }
  }

  /** {@code fence NAME on CONTEXT [seqno N]}: seqno is explicit or the next of its context. */
  public record FenceDecl(String name, String context, long seqno, Pos pos, List<String> ops) {
    /** A fence whose ops implement neither signaled nor enable_signaling. */
    public FenceDecl(String name, String context, long seqno, Pos pos) {
      this(name, context, seqno, pos, List.of());
    }

    /** Whether the fence's ops implement {@code op} ("signaled" or "enable_signaling"). */
    public boolean hasOp(String op) {
      return ops.contains(op);
    }
  }

  /** {@code ww_class NAME wait-die|wound-wait}. */
  public record ClassDecl(String name, boolean waitDie, Pos pos) {}

  /** {@code ww_mutex NAME... class CLASS}, one record per mutex. */
  public record MutexDecl(String name, String cls, Pos pos) {}

  /** {@code thread NAME { ... }}. */
  public record ThreadDecl(String name, List<Stmt> body, Pos pos) {}

  /** A statement of a thread. */
  public sealed interface Stmt permits CallStmt, Expect, If, While {
    Pos pos();
  }

  /** {@code [reg =] fn(args)}; reg is null for a call whose result is not kept. */
  public record CallStmt(String reg, Call call, Pos pos) implements Stmt {}

  /** {@code expect COND}: must hold in every execution that reaches it. */
  public record Expect(Cond cond, Pos pos) implements Stmt {}

  /** {@code if (COND) { ... } [else { ... }]}. */
  public record If(Cond cond, List<Stmt> then, List<Stmt> otherwise, Pos pos) implements Stmt {}

  /** {@code while (COND) { ... }}. */
  public record While(Cond cond, List<Stmt> body, Pos pos) implements Stmt {}

  /** A kernel call, checked against {@link Calls}: known name, arity, argument kinds. */
  public record Call(Calls.Fn fn, List<Arg> args, Pos pos) {
    /** {@code dma_resv_add_fence(r, f1, WRITE)}. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(fn.kernelName()).append('(');
      for (int i = 0; i < args.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(args.get(i));
      }
      return sb.append(')').toString();
    }
  }

  /** A call argument. */
  public sealed interface Arg permits Name, Num, Bool, Null {}

  /** A declared object, a usage (KERNEL, WRITE, READ, BOOKKEEP) or an error name (-EIO). */
  public record Name(String name) implements Arg {
    @Override
    public String toString() {
      return name;
    }
  }

  /** An integer (an error name like -EIO is parsed to its value, see {@link Calls#ERRNO}). */
  public record Num(long value, String text) implements Arg {
    @Override
    public String toString() {
      return text;
    }
  }

  /** {@code true} / {@code false}. */
  public record Bool(boolean value) implements Arg {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /** {@code NULL}. */
  public record Null() implements Arg {
    @Override
    public String toString() {
      return "NULL";
    }
  }

  /** A condition (expect, if, while, exists). */
  public sealed interface Cond permits And, Or, Not, Cmp, Atom, Signaled, BoolConst {}

  public record And(Cond left, Cond right) implements Cond {}

  public record Or(Cond left, Cond right) implements Cond {}

  public record Not(Cond inner) implements Cond {}

  /** {@code left == right} or {@code left != right}. */
  public record Cmp(Expr left, boolean equal, Expr right) implements Cond {}

  /** {@code deadlock}, {@code warn} or {@code bug}. */
  public record Atom(String kind) implements Cond {}

  /** {@code signaled(f)}. */
  public record Signaled(String fence) implements Cond {}

  /** {@code true} / {@code false} as a whole condition. */
  public record BoolConst(boolean value) implements Cond {}

  /** A value in a comparison. */
  public sealed interface Expr permits Reg, Lit {}

  /**
   * A register: {@code Pn:reg} (thread given) or {@code reg} (the current thread's; only in a
   * thread's statements).
   */
  public record Reg(String thread, String name) implements Expr {}

  /** A literal value (see {@link Value}). */
  public record Lit(Value value) implements Expr {}
}
