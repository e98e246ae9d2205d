package org.syncref.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.syncref.litmus.Calls.Fn;
import org.syncref.litmus.Calls.Kind;
import org.syncref.litmus.Litmus.Pos;
import org.syncref.modelcheck.BadInputException;

/** The litmus syntax: the contract example, every call, and the errors with their positions. */
class LitmusParserExamples {

  /** The syntax-contract example, verbatim. */
  static final String CONTRACT = """
      # Comments start with '#' or '//'. A header comment '# Result: Never|Sometimes|Always' is the
      # expected result of the exists clause.
      litmus resv-read-sees-write            # first statement: the test's name

      context c1 c2                          # fence contexts, allocated in this order
      fence f1 on c1                         # seqnos count 1, 2, ... per context in declaration order
      fence f2 on c1 seqno 5                 # or are given explicitly
      resv r                                 # a dma_resv (its lock: Wait-Die reservation_ww_class)
      ww_class wd wait-die                   # or wound-wait
      ww_mutex a b class wd

      thread P0 {                            # a file without thread blocks is one thread, P0
        dma_resv_lock(r, NULL)
        r0 = dma_resv_reserve_fences(r, 1)
        dma_resv_add_fence(r, f1, WRITE)
        dma_resv_unlock(r)
        r1 = dma_resv_test_signaled(r, READ)
        expect r1 == false                   # must hold in every execution that reaches it
      }
      thread P1 {
        dma_fence_signal(f1)
      }
      exists (P0:r1 == true)                 # at most one final condition
      """;

  static Litmus parse(String text) throws BadInputException {
    return LitmusParser.parse("x.litmus", text);
  }

  @Test
  void the_contract_example_parses_to_the_expected_tree() throws Exception {
    Litmus l = parse(CONTRACT);
    assertEquals("x.litmus", l.file());
    assertEquals("resv-read-sees-write", l.name());
    // The first comment matching "Result:\s*(\w+)" is the first line: "Result: Never|...".
    assertEquals("Never", l.expected());
    assertEquals(List.of("c1", "c2"), l.contexts());
    assertEquals(List.of(new Litmus.FenceDecl("f1", "c1", 1, new Pos(6, 7)),
        new Litmus.FenceDecl("f2", "c1", 5, new Pos(7, 7))), l.fences());
    assertEquals(List.of("r"), l.resvs());
    assertEquals(List.of(new Litmus.ClassDecl("wd", true, new Pos(9, 10))), l.classes());
    assertEquals(List.of(new Litmus.MutexDecl("a", "wd", new Pos(10, 10)), new Litmus.MutexDecl("b", "wd", new Pos(10, 12))),
        l.mutexes());
    assertEquals(List.of(), l.ctxs());
    assertEquals(List.of(), l.callbacks());
    assertEquals(List.of("P0", "P1"), l.threads().stream().map(Litmus.ThreadDecl::name).toList());

    Litmus.ThreadDecl p0 = l.threads().get(0);
    assertEquals(new Pos(12, 1), p0.pos());
    assertEquals(6, p0.body().size());
    assertEquals(new Litmus.CallStmt(null,
        new Litmus.Call(Fn.DMA_RESV_LOCK, List.of(new Litmus.Name("r"), new Litmus.Null()), new Pos(13, 3)),
        new Pos(13, 3)), p0.body().get(0));
    Litmus.CallStmt reserve = (Litmus.CallStmt) p0.body().get(1);
    assertEquals("r0", reserve.reg());
    assertEquals(List.of(new Litmus.Name("r"), new Litmus.Num(1, "1")), reserve.call().args());
    assertEquals(new Pos(14, 8), reserve.call().pos());
    assertEquals("dma_resv_add_fence(r, f1, WRITE)", ((Litmus.CallStmt) p0.body().get(2)).call().toString());
    assertEquals(new Litmus.Expect(new Litmus.Cmp(new Litmus.Reg("P0", "r1"), true,
        new Litmus.Lit(new Value.Bool(false))), new Pos(18, 3)), p0.body().get(5));

    Litmus.ThreadDecl p1 = l.threads().get(1);
    assertEquals(List.of(new Litmus.CallStmt(null,
        new Litmus.Call(Fn.DMA_FENCE_SIGNAL, List.of(new Litmus.Name("f1")), new Pos(21, 3)), new Pos(21, 3))),
        p1.body());

    assertEquals(new Litmus.Cmp(new Litmus.Reg("P0", "r1"), true, new Litmus.Lit(new Value.Bool(true))), l.exists());
  }

  @Test
  void a_result_on_header_overrides_the_result_for_one_build() throws Exception {
    Litmus both = parse("""
        # Result: Never
        # Result on production: Sometimes
        # Result on prove-locking: Always
        litmus t; context c; fence f on c
        dma_fence_signal(f)
        exists signaled(f)
        """);
    assertEquals("Never", both.expected());
    assertEquals("Never", both.expected("debug-lock-alloc"));
    assertEquals("Sometimes", both.expected("production"));
    assertEquals("Always", both.expected("prove-locking"));
    Litmus one = parse("""
        # Result: Always
        litmus t; context c; fence f on c
        dma_fence_signal(f)
        exists signaled(f)
        """);
    assertEquals("Always", one.expected("production"), "without a Result on header every build expects the same");
  }

  @Test
  void an_unknown_build_or_the_former_header_is_bad_input() {
    BadInputException e = assertThrows(BadInputException.class, () -> parse("""
        # Result on lockdep: Never
        litmus t; context c; fence f on c
        dma_fence_signal(f)
        exists signaled(f)
        """));
    assertTrue(e.getMessage().contains("1:13"), e.getMessage());
    assertTrue(e.getMessage().contains("production, debug-lock-alloc, prove-locking")
        || e.getMessage().contains("debug-lock-alloc, production, prove-locking"), e.getMessage());
    BadInputException old = assertThrows(BadInputException.class, () -> parse("""
        # Result without lockdep: Never
        litmus t; context c; fence f on c
        dma_fence_signal(f)
        exists signaled(f)
        """));
    assertTrue(old.getMessage().contains("Result on production"), old.getMessage());
  }

  @Test
  void a_fence_declaration_may_give_its_issuer_peeking_ops() throws Exception {
    Litmus l = parse("""
        # Result: Sometimes
        litmus t; context c
        fence f1 f2 on c ops signaled enable_signaling
        fence f3 on c
        hw_complete(f1)
        r0 = dma_fence_is_signaled(f1)
        exists (P0:r0 == true)
        """);
    assertEquals(List.of("signaled", "enable_signaling"), l.fences().get(1).ops());
    assertTrue(l.fences().get(0).hasOp("signaled"));
    assertEquals(List.of(), l.fences().get(2).ops());
    BadInputException e = assertThrows(BadInputException.class,
        () -> parse("# Result: Never\nlitmus t; context c\nfence f on c ops wait\nexists true\n"));
    assertTrue(e.getMessage().startsWith("x.litmus:3:18: expected signaled or enable_signaling after 'ops'"),
        e.getMessage());
  }

  @Test
  void a_file_without_thread_blocks_is_one_thread_P0() throws Exception {
    Litmus l = parse("""
        // Result: Always
        litmus one; context c; fence f on c
        r0 = dma_fence_check_and_signal(f)
        if (r0 == true) { expect signaled(f) }
        exists P0:r0 == true
        """);
    assertEquals("Always", l.expected());
    assertEquals("one", l.name());
    assertEquals(1, l.threads().size());
    assertEquals("P0", l.threads().get(0).name());
    assertEquals(new Pos(3, 1), l.threads().get(0).pos());
    assertEquals(2, l.threads().get(0).body().size());
    Litmus.If s = (Litmus.If) l.threads().get(0).body().get(1);
    assertEquals(List.of(new Litmus.Expect(new Litmus.Signaled("f"), new Pos(4, 19))), s.then());
    assertEquals(List.of(), s.otherwise());
    assertEquals(new Litmus.Cmp(new Litmus.Reg("P0", "r0"), true, new Litmus.Lit(new Value.Bool(true))), l.exists());
  }

  /** A valid argument text and its tree for each kind. */
  static String argText(Kind k) {
    switch (k) {
      case FENCE: return "f1";
      case RESV: return "r";
      case MUTEX: return "m";
      case CLASS: return "wd";
      case CTX: return "x";
      case CTX_OR_NULL: return "NULL";
      case CONTEXT: return "c1";
      case USAGE: return "BOOKKEEP";
      case INT: return "-7";
      case ERROR: return "-EINTR";
      case BOOL: return "true";
      case CB: return "cb";
      default: throw new AssertionError(k);
    }
  }

  static Litmus.Arg argTree(Kind k) {
    switch (k) {
      case CTX_OR_NULL: return new Litmus.Null();
      case INT: return new Litmus.Num(-7, "-7");
      case ERROR: return new Litmus.Num(-4, "-EINTR");
      case BOOL: return new Litmus.Bool(true);
      default: return new Litmus.Name(argText(k));
    }
  }

  @Test
  void every_call_parses_with_valid_arguments() throws Exception {
    StringBuilder sb = new StringBuilder("""
        litmus every-call
        context c1
        fence f1 on c1
        resv r
        ww_class wd wound-wait
        ww_mutex m class wd
        ww_acquire_init(x, wd)
        """);
    List<Fn> fns = new ArrayList<>(List.of(Fn.values()));
    for (Fn fn : fns) {
      StringBuilder call = new StringBuilder(fn.kernelName()).append('(');
      for (int i = 0; i < fn.params().size(); i++) {
        call.append(i == 0 ? "" : ", ").append(argText(fn.params().get(i)));
      }
      call.append(')');
      sb.append(fn.result() == Calls.Result.VOID ? "" : "v_" + fn.name().toLowerCase() + " = ").append(call).append('\n');
    }
    Litmus l = parse(sb.toString());
    List<Litmus.Stmt> body = l.threads().get(0).body();
    assertEquals(fns.size() + 1, body.size());
    for (int i = 0; i < fns.size(); i++) {
      Fn fn = fns.get(i);
      Litmus.CallStmt s = (Litmus.CallStmt) body.get(i + 1);
      assertEquals(fn, s.call().fn());
      assertEquals(fn.result() == Calls.Result.VOID ? null : "v_" + fn.name().toLowerCase(), s.reg());
      assertEquals(fn.params().stream().map(LitmusParserExamples::argTree).toList(), s.call().args(), fn.kernelName());
    }
    assertEquals(List.of("x"), l.ctxs());
    assertEquals(List.of("cb"), l.callbacks());
    assertEquals(List.of(new Litmus.ClassDecl("wd", false, new Pos(5, 10))), l.classes());
  }

  @Test
  void seqnos_count_on_per_context_after_an_explicit_one() throws Exception {
    Litmus l = parse("litmus s\ncontext c1 c2\nfence a on c2\nfence b on c1 seqno 5\nfence c d on c1\nfence e on c2\n"
        + "dma_fence_signal(a)\n");
    assertEquals(List.of("a:c2:1", "b:c1:5", "c:c1:6", "d:c1:7", "e:c2:2"),
        l.fences().stream().map(f -> f.name() + ":" + f.context() + ":" + f.seqno()).toList());
    assertNull(l.expected());
    assertNull(l.exists());
  }

  @Test
  void an_error_argument_may_be_any_integer_to_provoke_the_warning() throws Exception {
    Litmus l = parse("litmus w\ncontext c\nfence f on c\ndma_fence_set_error(f, 5); dma_fence_set_error(f, -22)\n");
    List<Litmus.Stmt> body = l.threads().get(0).body();
    assertEquals(List.of(new Litmus.Name("f"), new Litmus.Num(5, "5")), ((Litmus.CallStmt) body.get(0)).call().args());
    assertEquals(new Litmus.Num(-22, "-22"), ((Litmus.CallStmt) body.get(1)).call().args().get(1));
  }

  @Test
  void max_schedule_timeout_is_a_timeout_and_a_value() throws Exception {
    Litmus l = parse("litmus w\ncontext c\nfence f on c\nresv r\n"
        + "r0 = dma_fence_wait_timeout(f, false, MAX_SCHEDULE_TIMEOUT)\n"
        + "r1 = dma_resv_wait_timeout(r, READ, true, MAX_SCHEDULE_TIMEOUT)\n"
        + "r2 = dma_resv_wait_timeout(r, READ, true, 3)\n"
        + "exists (P0:r0 == MAX_SCHEDULE_TIMEOUT && P0:r1 != MAX_SCHEDULE_TIMEOUT)\n");
    List<Litmus.Stmt> body = l.threads().get(0).body();
    Litmus.Call c0 = ((Litmus.CallStmt) body.get(0)).call();
    Litmus.Call c1 = ((Litmus.CallStmt) body.get(1)).call();
    Litmus.Call c2 = ((Litmus.CallStmt) body.get(2)).call();
    assertEquals(new Litmus.Num(Calls.MAX_SCHEDULE_TIMEOUT, "MAX_SCHEDULE_TIMEOUT"), c0.args().get(2));
    assertEquals(new Litmus.Num(Calls.MAX_SCHEDULE_TIMEOUT, "MAX_SCHEDULE_TIMEOUT"), c1.args().get(3));
    assertTrue(Calls.waitsForever(c0) && Calls.waitsForever(c1));
    assertFalse(Calls.waitsForever(c2));
    assertEquals("MAX_SCHEDULE_TIMEOUT", new Value.Int(Calls.MAX_SCHEDULE_TIMEOUT).toString());
  }

  @Test
  void conditions_bind_or_weakest_then_and_then_not() throws Exception {
    Litmus l = parse("litmus c\ncontext k\nfence f on k\nr0 = dma_fence_get_status(f)\n"
        + "exists deadlock || P0:r0 == -EIO && !(signaled(f) || false) || P0:r0 != 3 && {f} == {f}\n");
    Litmus.Cond cmp1 = new Litmus.Cmp(new Litmus.Reg("P0", "r0"), true, new Litmus.Lit(new Value.Int(-5)));
    Litmus.Cond not = new Litmus.Not(new Litmus.Or(new Litmus.Signaled("f"), new Litmus.BoolConst(false)));
    Litmus.Cond cmp2 = new Litmus.Cmp(new Litmus.Reg("P0", "r0"), false, new Litmus.Lit(new Value.Int(3)));
    Value set = Value.FenceSet.of(List.of("f"));
    Litmus.Cond cmp3 = new Litmus.Cmp(new Litmus.Lit(set), true, new Litmus.Lit(set));
    assertEquals(new Litmus.Or(new Litmus.Or(new Litmus.Atom("deadlock"), new Litmus.And(cmp1, not)),
        new Litmus.And(cmp2, cmp3)), l.exists());
  }

  /**
   * A fence sequence literal keeps order and duplicates; a set literal equals a sequence whose
   * distinct fences it is (so files written with sets keep their meaning).
   */
  @Test
  void fence_sequences_are_ordered_and_sets_compare_by_membership() throws Exception {
    Litmus l = parse("litmus c\ncontext k\nfence f g on k\nresv r\nr0 = dma_resv_get_fences(r, READ)\n"
        + "exists P0:r0 == [g, f, g] || P0:r0 == []\n");
    Litmus.Cmp first = (Litmus.Cmp) ((Litmus.Or) l.exists()).left();
    assertEquals(new Value.FenceSeq(List.of("g", "f", "g")), ((Litmus.Lit) first.right()).value());
    Value seq = new Value.FenceSeq(List.of("g", "f", "g"));
    assertEquals("[g, f, g]", seq.toString());
    assertTrue(Value.same(seq, Value.FenceSet.of(List.of("f", "g"))));
    assertTrue(Value.same(Value.FenceSet.of(List.of("f", "g")), seq));
    assertFalse(Value.same(seq, Value.FenceSet.of(List.of("g"))));
    assertFalse(Value.same(seq, new Value.FenceSeq(List.of("f", "g"))));
    assertFalse(Value.same(new Value.FenceSeq(List.of("f", "f")), new Value.FenceSeq(List.of("f"))));
    assertTrue(Value.same(new Value.FenceSeq(List.of()), Value.FenceSet.of(List.of())));
  }

  @Test
  void else_if_chains_and_while_loops_nest() throws Exception {
    Litmus l = parse("""
        litmus flow
        context k
        fence f g on k
        thread T {
          s = dma_fence_get_status(f)
          while (s == 0) { s = dma_fence_get_status(f) }
          if (s == 1) {
            dma_fence_signal(g)
          }
          else if (s == -EIO) { dma_fence_signal(g); dma_fence_signal(f) } else { expect bug }
        }
        """);
    List<Litmus.Stmt> body = l.threads().get(0).body();
    assertEquals(3, body.size());
    Litmus.While w = (Litmus.While) body.get(1);
    assertEquals(1, w.body().size());
    Litmus.If i = (Litmus.If) body.get(2);
    assertEquals(new Pos(7, 3), i.pos());
    Litmus.If inner = (Litmus.If) i.otherwise().get(0);
    assertEquals(new Pos(10, 8), inner.pos());
    assertEquals(2, inner.then().size());
    assertEquals(List.of(new Litmus.Expect(new Litmus.Atom("bug"), new Pos(10, 75))), inner.otherwise());
  }

  @Test
  void crlf_bom_semicolons_and_multi_line_parentheses_are_accepted() throws Exception {
    Litmus l = parse("\uFEFFlitmus crlf\r\ncontext k;;fence f on k\r\nresv r\r\n"
        + "x = dma_resv_wait_timeout(r,\r\n   READ,\r\n true, 0)\r\n"
        + "exists (P0:x == 0\r\n   && !warn)\r\n");
    assertEquals("crlf", l.name());
    assertEquals(new Pos(2, 18), l.fences().get(0).pos());
    assertEquals(1, l.threads().get(0).body().size());
  }

  static Stream<Arguments> errors() {
    String h = "litmus t\ncontext c1\nfence f1 on c1\nresv r\n"; // lines 1-4
    String ww = "litmus t\nww_class wd wait-die\nww_mutex a class wd\n"; // lines 1-3
    StringBuilder deepIf = new StringBuilder("litmus t\n");
    for (int i = 0; i < 40; i++) {
      deepIf.append("if (true) {\n");
    }
    StringBuilder manyThreads = new StringBuilder("litmus t\n");
    for (int i = 0; i < 7; i++) {
      manyThreads.append("thread T").append(i).append(" { }\n");
    }
    StringBuilder manyCbs = new StringBuilder(h);
    for (int i = 0; i < 7; i++) {
      manyCbs.append("x = dma_fence_add_callback(f1, cb").append(i).append(")\n");
    }
    return Stream.of(
        Arguments.of("unknown call", h + "dma_fence_sgnal(f1)\n", "5:1",
            "unknown call 'dma_fence_sgnal' (did you mean dma_fence_signal?)"),
        Arguments.of("unknown call far from all", h + "frobnicate(f1)\n", "5:1", "unknown call 'frobnicate' (the calls are"),
        Arguments.of("misspelled keyword", "litmus t\nfense f1 on c1\n", "2:1", "found 'fense' (did you mean fence?)"),
        Arguments.of("too few arguments", h + "dma_resv_add_fence(r, f1)\n", "5:25",
            "dma_resv_add_fence takes 3 arguments (resv, fence, usage), got 2"),
        Arguments.of("too many arguments", h + "dma_fence_signal(f1, f1)\n", "5:22",
            "dma_fence_signal takes 1 argument (fence), got 2"),
        Arguments.of("wrong kind", h + "dma_fence_signal(r)\n", "5:18",
            "argument 1 (fence) of dma_fence_signal must be a fence, but 'r' is a resv"),
        Arguments.of("literal for a name", h + "dma_resv_unlock(5)\n", "5:17",
            "argument 1 (resv) of dma_resv_unlock must be a resv, found '5'"),
        Arguments.of("undeclared fence", h + "dma_fence_signal(f9)\n", "5:18", "undeclared fence 'f9'"),
        Arguments.of("undeclared resv", h + "dma_resv_unlock(x)\n", "5:17", "undeclared resv 'x'"),
        Arguments.of("undeclared acquire context", ww + "ww_mutex_lock(a, x)\n", "4:18",
            "undeclared acquire context 'x' (introduce it with ww_acquire_init(x, CLASS))"),
        Arguments.of("undeclared ww_class", "litmus t\nww_mutex a class wd\n", "2:18", "undeclared ww_class 'wd'"),
        Arguments.of("undeclared fence context", "litmus t\nfence f1 on c9\n", "2:13", "undeclared fence context 'c9'"),
        Arguments.of("duplicate name", "litmus t\ncontext c1\nfence c1 on c1\n", "3:7",
            "duplicate name 'c1': already declared as a fence context at 2:9"),
        Arguments.of("duplicate thread", "litmus t\nthread P0 { }\nthread P0 { }\n", "3:8", "duplicate name 'P0'"),
        Arguments.of("register named like a fence", h + "f1 = dma_fence_get_status(f1)\n", "5:1",
            "register 'f1' clashes with a fence declared at 3:7"),
        Arguments.of("name declared after a register", "litmus t\ncontext c1\nfence f1 on c1\n"
            + "q = dma_fence_get_status(f1)\nresv q\n", "5:6", "name 'q' is already a register"),
        Arguments.of("reserved name", "litmus t\ncontext if\n", "2:9", "'if' is a keyword and cannot name a fence context"),
        Arguments.of("call name as a name", "litmus t\nresv dma_fence_signal\n", "2:6", "is a call name"),
        Arguments.of("void assigned", h + "r0 = dma_fence_signal(f1)\n", "5:6", "dma_fence_signal returns void"),
        Arguments.of("MAX_SCHEDULE_TIMEOUT where no timeout goes", h + "r0 = dma_resv_reserve_fences(r, MAX_SCHEDULE_TIMEOUT)\n",
            "5:33", "MAX_SCHEDULE_TIMEOUT is a timeout: only dma_fence_wait_timeout and dma_resv_wait_timeout take it"),
        Arguments.of("MAX_SCHEDULE_TIMEOUT as a name", "litmus t\nresv MAX_SCHEDULE_TIMEOUT\n", "2:6",
            "'MAX_SCHEDULE_TIMEOUT' is a reserved word"),
        Arguments.of("register types differ", h + "r0 = dma_fence_get_status(f1)\nr0 = dma_fence_is_signaled(f1)\n", "6:1",
            "register r0 already holds an integer (dma_fence_get_status at 5:1); dma_fence_is_signaled returns a bool"),
        Arguments.of("bool register vs integer", h + "r1 = dma_resv_test_signaled(r, READ)\nexpect r1 == 1\n", "6:8",
            "r1 holds a bool (dma_resv_test_signaled); compare it with true or false"),
        Arguments.of("bool register vs integer in exists",
            "litmus t\nresv r\nthread P0 {\n  r1 = dma_resv_test_signaled(r, READ)\n}\nexists (P0:r1 == 0)\n", "6:9",
            "P0:r1 holds a bool (dma_resv_test_signaled); compare it with true or false"),
        Arguments.of("integer register vs bool", h + "r0 = dma_fence_get_status(f1)\nexpect true != r0\n", "6:16",
            "r0 holds an integer (dma_fence_get_status); compare it with an integer"),
        Arguments.of("unclosed fence sequence", h + "g = dma_resv_get_fences(r, READ)\nexpect g == [f1 f1]\n", "6:17",
            "expected ',' or ']' in the fence sequence opened at 6:13, found 'f1'"),
        Arguments.of("fence-set register vs integer", h + "g = dma_resv_get_fences(r, READ)\nexpect g == 0\n", "6:8",
            "g holds a fence list (dma_resv_get_fences); compare it with a fence sequence such as [f2, f1] or []"),
        Arguments.of("registers of different types",
            h + "a = dma_fence_get_status(f1)\nb = dma_fence_is_signaled(f1)\nexpect a == b\n", "7:8",
            "a holds an integer (dma_fence_get_status) but b holds a bool (dma_fence_is_signaled); they cannot be compared"),
        Arguments.of("literals of different types", h + "dma_fence_signal(f1)\nexpect {f1} == 1\n", "6:8",
            "cannot compare a fence list ({f1}) with an integer (1)"),
        Arguments.of("register never assigned", h + "dma_fence_signal(f1)\nexpect r5 == 0\n", "6:8",
            "register 'r5' is never assigned in thread P0"),
        Arguments.of("unclosed block", "litmus t\ncontext c\nfence f on c\nthread P0 {\n  dma_fence_signal(f)\n", "6:1",
            "expected '}' to close the block opened at 4:11, found end of file"),
        Arguments.of("unmatched close brace", h + "dma_fence_signal(f1)\n}\n", "6:1", "unmatched '}'"),
        Arguments.of("missing litmus statement", "context c1\n", "1:1",
            "expected 'litmus NAME' as the first statement, found 'context'"),
        Arguments.of("empty file", "# nothing\n", "2:1", "expected 'litmus NAME' as the first statement, found end of file"),
        Arguments.of("missing test name", "litmus  # no name\n", "1:9", "expected the test's name after 'litmus'"),
        Arguments.of("bad Result header", "# Result: Maybe\nlitmus t\n", "1:11",
            "the '# Result:' header must be Always, Sometimes or Never, found 'Maybe'"),
        Arguments.of("bad build Result header", "# Result on production: Maybe\nlitmus t\n", "1:25",
            "the '# Result on production:' header must be Always, Sometimes or Never, found 'Maybe'"),
        Arguments.of("huge number", h + "r0 = dma_resv_reserve_fences(r, 99999999999999999999)\n", "5:33",
            "integer '99999999999999999999' is too large (at most 1000000)"),
        Arguments.of("huge negative number", h + "r0 = dma_fence_get_status(f1)\nexpect r0 == -1000001\n", "6:15",
            "integer '-1000001' is too large"),
        Arguments.of("malformed number", h + "r0 = dma_resv_reserve_fences(r, 12ab)\n", "5:33", "malformed number '12ab'"),
        Arguments.of("binary garbage", h + "\u0000\u0001\u00ff", "5:1", "unexpected character '\\u0000'"),
        Arguments.of("garbage after a statement", h + "dma_fence_signal(f1) @", "5:22", "unexpected character '@'"),
        Arguments.of("two statements on a line", h + "dma_fence_signal(f1) dma_fence_signal(f1)\n", "5:22",
            "expected a newline or ';' after the statement, found 'dma_fence_signal'"),
        Arguments.of("deep block nesting", deepIf.toString(), "34:11", "nesting too deep: more than 32 nested blocks"),
        Arguments.of("deep parentheses", "litmus t\nexpect " + "(".repeat(100_000) + "true" + ")".repeat(100_000), "2:40",
            "nesting too deep: more than 32 levels of '(' and '!'"),
        Arguments.of("deep negation", "litmus t\nexpect " + "!".repeat(100_000) + "true", "2:40", "nesting too deep"),
        Arguments.of("long condition", "litmus t\nexpect true" + " && true".repeat(100), "2:520",
            "condition too long: more than 64"),
        Arguments.of("exists with a bare register",
            "litmus t\nresv r\nr1 = dma_resv_test_signaled(r, READ)\nexists (r1 == true)\n", "4:9",
            "in exists, registers must be written THREAD:REG (e.g. P0:r1)"),
        Arguments.of("a thread without its register",
            "litmus t\nresv r\nthread T {\n  r1 = dma_resv_test_signaled(r, READ)\n}\nexists (T == true)\n", "6:11",
            "expected ':' and a register after thread T (registers are written THREAD:REG), found '=='"),
        Arguments.of("exists names no thread",
            "litmus t\nresv r\nr1 = dma_resv_test_signaled(r, READ)\nexists (P7:r1 == true)\n", "4:9",
            "no thread 'P7' (in P7:r1)"),
        Arguments.of("exists reads a register never assigned",
            "litmus t\nresv r\nthread P0 {\n  r1 = dma_resv_test_signaled(r, READ)\n}\nthread P1 { }\nexists P1:r1 == true\n",
            "7:8", "P1:r1 is never assigned"),
        Arguments.of("expect reads another thread's register",
            "litmus t\nresv r\nthread P0 {\n  expect P1:r1 == true\n}\nthread P1 {\n  r1 = dma_resv_test_signaled(r, READ)\n}\n",
            "4:10", "thread P0 can only read its own registers, not P1:r1"),
        Arguments.of("a fence read as a register", h + "dma_fence_signal(f1)\nexpect f1 == 0\n", "6:8",
            "'f1' is a fence (declared at 3:7), not a register"),
        Arguments.of("NULL in a condition", h + "dma_fence_signal(f1)\nexpect NULL == 0\n", "6:8",
            "NULL cannot appear in a condition"),
        Arguments.of("second exists", h + "dma_fence_signal(f1)\nexists deadlock\nexists warn\n", "7:1",
            "a second exists clause (the first is at 6:1)"),
        Arguments.of("seqno with two names", "litmus t\ncontext c1\nfence f1 f2 on c1 seqno 5\n", "3:19",
            "seqno needs a single fence name"),
        Arguments.of("seqno out of range", "litmus t\ncontext c1\nfence f1 on c1 seqno 1000001\n", "3:22",
            "seqno '1000001' is too large (at most 1000000)"),
        Arguments.of("too many fences", "litmus t\ncontext c\nfence f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 on c\n", "3:45",
            "too many fences: at most 12"),
        Arguments.of("too many resvs", "litmus t\nresv a b c d e\n", "2:14", "too many resvs: at most 4"),
        Arguments.of("too many threads", manyThreads.toString(), "8:8", "too many threads: at most 6"),
        Arguments.of("too many callbacks", manyCbs.toString(), "11:32", "too many callbacks: at most 6"),
        Arguments.of("statement after thread blocks",
            "litmus t\ncontext c\nfence f on c\nthread P0 {\n  dma_fence_signal(f)\n}\ndma_fence_signal(f)\n", "7:1",
            "statement outside a thread block, but the file has thread blocks (thread P0 at 4:1)"),
        Arguments.of("thread block after statements", "litmus t\ncontext c\nfence f on c\ndma_fence_signal(f)\nthread P1 {\n}\n",
            "5:1", "thread block after top-level statements"),
        Arguments.of("no statements", "litmus t\ncontext c\nthread P0 { }\n", "4:1", "no statements"),
        Arguments.of("misspelled usage", h + "r1 = dma_resv_test_signaled(r, WRTIE)\n", "5:32",
            "must be a usage (KERNEL, WRITE, READ, BOOKKEEP), found 'WRTIE' (did you mean WRITE?)"),
        Arguments.of("unknown error name", h + "dma_fence_set_error(f1, -EFOO)\n", "5:26",
            "unknown error name 'EFOO' (did you mean EIO?)"),
        Arguments.of("bool for an error", h + "dma_fence_set_error(f1, true)\n", "5:25",
            "argument 2 (error) of dma_fence_set_error must be an error such as -EIO"),
        Arguments.of("bare error name", h + "dma_fence_set_error(f1, EIO)\n", "5:25", "found 'EIO' (write -EIO)"),
        Arguments.of("callback named like a resv", h + "x = dma_fence_add_callback(f1, r)\n", "5:32",
            "must be a callback, but 'r' is a resv"),
        Arguments.of("bad ww_class algorithm", "litmus t\nww_class wd wait_die\n", "2:13",
            "expected wait-die or wound-wait after the ww_class name, found 'wait_die' (did you mean wait-die?)"),
        Arguments.of("single ampersand", h + "dma_fence_signal(f1)\nexists deadlock & warn\n", "6:17",
            "expected '&&', found a single '&'"),
        Arguments.of("declaration in a thread", "litmus t\nthread P0 {\n  resv r\n}\n", "3:3",
            "declarations must be at top level, not inside thread P0"),
        Arguments.of("if without parentheses", h + "r0 = dma_fence_get_status(f1)\nif r0 == 0 { }\n", "6:4",
            "expected '(' after 'if', found 'r0'"),
        Arguments.of("missing comparison", h + "r0 = dma_fence_get_status(f1)\nexpect r0\n", "7:1",
            "expected '==' or '!=' after 'r0', found end of file"),
        Arguments.of("condition broken by a newline", h + "r0 = dma_fence_get_status(f1)\nexpect r0 ==\n0\n", "7:1",
            "found end of line"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void errors_name_the_position_and_what_was_expected(String what, String text, String at, String phrase) {
    BadInputException e = assertThrows(BadInputException.class, () -> parse(text));
    String m = e.getMessage();
    assertTrue(m.startsWith("x.litmus:" + at + ": "), () -> "position: " + m);
    assertTrue(m.contains(phrase), () -> "message: " + m);
    assertFalse(m.contains("\n") || m.contains("\r") || m.contains("\u0000"), () -> "one printable line: " + m);
  }

  @Test
  void files_that_cannot_be_read_are_named(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.litmus");
    assertEquals(missing + ": no such file",
        assertThrows(BadInputException.class, () -> LitmusParser.parse(missing)).getMessage());
    assertEquals(dir + ": is a directory, not a litmus file",
        assertThrows(BadInputException.class, () -> LitmusParser.parse(dir)).getMessage());
    Path bad = dir.resolve("bad.litmus");
    Files.write(bad, "litmus t\n# caf\u00e9\nx\u00c3(".getBytes(StandardCharsets.ISO_8859_1));
    String m = assertThrows(BadInputException.class, () -> LitmusParser.parse(bad)).getMessage();
    assertTrue(m.startsWith(bad + ": not valid UTF-8: byte 0xE9"), m);
    assertTrue(m.endsWith("at line 2, column 6"), m);
    Path big = dir.resolve("big.litmus");
    Files.write(big, new byte[(int) LitmusParser.MAX_FILE_BYTES + 1]);
    assertTrue(assertThrows(BadInputException.class, () -> LitmusParser.parse(big)).getMessage()
        .startsWith(big + ": too large (1048577 bytes"));
    Path nul = dir.resolve("nul.litmus");
    Files.write(nul, new byte[] {'#', ' ', 0, '\n', 0}); // NUL in a comment is fine, outside it is not
    assertEquals(nul + ":2:1: unexpected character '\\u0000'",
        assertThrows(BadInputException.class, () -> LitmusParser.parse(nul)).getMessage());
    Path ok = dir.resolve("ok.litmus");
    Files.writeString(ok, CONTRACT);
    assertEquals(ok.toString(), LitmusParser.parse(ok).file());
  }

  @Test
  void large_inputs_are_handled_in_linear_time() {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      String big = "litmus big\ncontext c\nfence f on c\n" + "dma_fence_signal(f);".repeat(50_000) + "\n"
          + ("#" + "x".repeat(1000) + " Result: ").repeat(200) + "\n" + "expect true" + ";;".repeat(100_000) + "\n";
      assertEquals(50_001, parse(big).threads().get(0).body().size());
      String longName = "litmus t\ncontext " + "c".repeat(500_000) + " " + "c".repeat(500_000) + "\n";
      String m = assertThrows(BadInputException.class, () -> parse(longName)).getMessage();
      assertTrue(m.startsWith("x.litmus:2:500010: duplicate name 'cccccccccccccccccccccccccccccccccccccccc...'"), m);
      String braces = "litmus t\n" + "{".repeat(200_000);
      assertTrue(assertThrows(BadInputException.class, () -> parse(braces)).getMessage().startsWith("x.litmus:2:1: "));
      String sets = "litmus t\ncontext c\nfence f on c\ndma_fence_signal(f)\nexpect " + "{f} == {} || ".repeat(70) + "{,";
      assertTrue(assertThrows(BadInputException.class, () -> parse(sets)).getMessage().contains("condition too long"));
      String elses = "litmus t\ncontext c\nfence f on c\nif (true) { } " + "else if (true) { } ".repeat(100_000);
      assertTrue(assertThrows(BadInputException.class, () -> parse(elses)).getMessage().contains("nesting too deep"));
    });
  }
}
