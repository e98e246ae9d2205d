package org.syncref.kernelcheck;

import java.util.List;
import org.syncref.litmus.Calls;
import org.syncref.litmus.Litmus;
import org.syncref.litmus.Litmus.Arg;
import org.syncref.litmus.Litmus.Cond;
import org.syncref.litmus.Litmus.Stmt;
import org.syncref.litmus.LitmusParser;
import org.syncref.litmus.Value;

/**
 * Generates one KUnit suite ({@code syncref_litmus}, file drivers/dma-buf/syncref-litmus-test.c)
 * from litmus scenarios: one case per file. Each case allocates the file's objects
 * (dma_fence_context_alloc for each context in order, dma_fence_init, dma_resv_init,
 * ww_mutex_init on a static DEFINE_WD_CLASS / DEFINE_WW_CLASS class), runs the threads (one
 * thread: in the case's own thread, once; several: kthreads, many trials, random yields and
 * sleeps at call boundaries), and prints parseable console lines ({@code SR|...}) that
 * {@link ConsoleParser} reads:
 *
 * <pre>
 * SR|C|case                       case begins
 * SR|T|trial                      trial begins
 * SR|B|pid|tid|site               a call begins in task pid (WARN splats of pid are attributed to it)
 * SR|R|tid|site|kind|value        the call returned (kind 0 void, 1 int, 2 bool, 4 fence mask)
 * SR|X|tid|site|bug              the call was not executed: its BUG_ON would fire
 * SR|X|tid|site|contract|wb       not executed: the spec says contract (wb: 1 if a BUG_ON would fire)
 * SR|P|tid|site|blocks            the call, run in a helper kthread, did not return within 300 ms
 * SR|E|tid|line|col|ok            an expect was evaluated
 * SR|O|trial|hung|sigmask|stop0,..|tid:reg:kind:value,...   the trial's outcome
 * SR|D|trial                      teardown begins (later WARNs are not the scenario's)
 * SR|Z|case                       case ends
 * </pre>
 */
final class CGenerator {
  static final int MAXF = 16;
  static final int MAXR = 8;
  static final int MAXM = 8;
  static final int MAXX = 8;
  static final int MAXCB = 8;
  static final int MAXC = 8;
  static final int MAXT = 4;
  static final int MAXREG = 16;

  private final KernelApi api;

  CGenerator(KernelApi api) {
    this.api = api;
  }

  /** Why this file cannot be run on this kernel, or null. */
  String unsupported(Scenario sc) {
    Litmus l = sc.litmus;
    if (l.fences().size() > MAXF || l.resvs().size() > MAXR || l.mutexes().size() > MAXM
        || l.ctxs().size() > MAXX || l.callbacks().size() > MAXCB || l.contexts().size() > MAXC
        || l.threads().size() > MAXT || sc.maxRegs() > MAXREG) {
      return "more objects than the generated case has room for (fences " + MAXF + ", resvs " + MAXR
          + ", mutexes " + MAXM + ", contexts " + MAXX + ", threads " + MAXT + ", registers " + MAXREG + ")";
    }
    for (Litmus.ThreadDecl t : l.threads()) {
      String why = condAtoms(t.body());
      if (why != null) {
        return why;
      }
    }
    for (Scenario.Site site : sc.sites) {
      String why = api.missing().get(site.stmt().call().fn().kernelName());
      if (why != null) {
        return "Linux " + api.version() + " cannot express " + site.stmt().call() + ": " + why;
      }
    }
    boolean addFence = sc.sites.stream().anyMatch(s -> s.stmt().call().fn() == Calls.Fn.DMA_RESV_ADD_FENCE);
    if (addFence && !api.resvListLayout()) {
      return "dma-resv.c's struct dma_resv_list differs from {rcu; num_fences, max_fences; table}: "
          + "the BUG_ON guard of dma_resv_add_fence cannot read it";
    }
    return null;
  }

  private static String condAtoms(List<Stmt> body) {
    for (Stmt s : body) {
      Cond c = s instanceof Litmus.Expect e ? e.cond() : s instanceof Litmus.If i ? i.cond()
          : s instanceof Litmus.While w ? w.cond() : null;
      if (c != null && hasAtom(c)) {
        return "a thread's condition reads warn/bug/deadlock/contract, which the kernel case cannot evaluate "
            + "while it runs";
      }
      if (c != null && longSeq(c)) {
        return "a thread's condition has a fence sequence of more than " + MAX_SEQ + " fences (SR_SEQ's room)";
      }
      if (s instanceof Litmus.If i) {
        String w = condAtoms(i.then());
        w = w != null ? w : condAtoms(i.otherwise());
        if (w != null) {
          return w;
        }
      } else if (s instanceof Litmus.While w) {
        String r = condAtoms(w.body());
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  private static boolean longSeq(Cond c) {
    if (c instanceof Litmus.And a) {
      return longSeq(a.left()) || longSeq(a.right());
    } else if (c instanceof Litmus.Or o) {
      return longSeq(o.left()) || longSeq(o.right());
    } else if (c instanceof Litmus.Not n) {
      return longSeq(n.inner());
    } else if (c instanceof Litmus.Cmp cmp) {
      for (Litmus.Expr e : List.of(cmp.left(), cmp.right())) {
        if (e instanceof Litmus.Lit l && l.value() instanceof Value.FenceSeq q && q.fences().size() > MAX_SEQ) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasAtom(Cond c) {
    if (c instanceof Litmus.And a) {
      return hasAtom(a.left()) || hasAtom(a.right());
    } else if (c instanceof Litmus.Or o) {
      return hasAtom(o.left()) || hasAtom(o.right());
    } else if (c instanceof Litmus.Not n) {
      return hasAtom(n.inner());
    }
    return c instanceof Litmus.Atom;
  }

  /** The whole test file. */
  String generate(List<Scenario> scenarios) {
    StringBuilder sb = new StringBuilder();
    sb.append(RUNTIME.replace("@VERSION@", api.version()).replace("@LOS@", api.laterOrSame() ? "1" : "0")
        .replace("@CAS@", api.checkAndSignal() ? "1" : "0")
        .replace("@DL@", api.missing().containsKey("dma_fence_set_deadline") ? "0" : "1"));
    for (Scenario sc : scenarios) {
      scenario(sb, sc);
    }
    sb.append("\nstatic struct kunit_case sr_cases[] = {\n");
    for (Scenario sc : scenarios) {
      sb.append("\tKUNIT_CASE(sr_case_").append(sc.index).append("),\n");
    }
    sb.append("\t{}\n};\n\n");
    sb.append("static struct kunit_suite sr_suite = {\n\t.name = \"syncref_litmus\",\n\t.test_cases = sr_cases,\n};\n");
    sb.append("kunit_test_suite(sr_suite);\n\nMODULE_DESCRIPTION(\"syncref litmus scenarios (generated)\");\n");
    sb.append("MODULE_LICENSE(\"GPL\");\n");
    return sb.toString();
  }

  private void scenario(StringBuilder sb, Scenario sc) {
    Litmus l = sc.litmus;
    int n = sc.index;
    String p = "sr" + n + "_";
    sb.append("\n/* ---- ").append(n).append(": ").append(cComment(l.name())).append(" (")
        .append(cComment(l.file())).append(") ---- */\n");
    for (Litmus.ClassDecl k : l.classes()) {
      if (k.name().equals(LitmusParser.RESERVATION_WW_CLASS)) {
        continue;
      }
      sb.append("static ").append(k.waitDie() ? "DEFINE_WD_CLASS(" : "DEFINE_WW_CLASS(").append(p).append("class_")
          .append(l.classes().indexOf(k)).append(");\n");
    }
    // setup
    sb.append("static void ").append(p).append("setup(struct sr_s *s)\n{\n");
    sb.append("\tsr_cur = s;\n");
    for (int i = 0; i < l.contexts().size(); i++) {
      sb.append("\ts->ctx[").append(i).append("] = dma_fence_context_alloc(1);\n");
    }
    for (int i = 0; i < l.fences().size(); i++) {
      Litmus.FenceDecl f = l.fences().get(i);
      sb.append("\tspin_lock_init(&s->lock[").append(i).append("]);\n");
      String ops = "&sr_fence_ops" + (f.hasOp("signaled") ? "_sig" : "") + (f.hasOp("enable_signaling") ? "_en" : "");
      sb.append("\tdma_fence_init(&s->f[").append(i).append("], ").append(ops).append(", &s->lock[").append(i)
          .append("], s->ctx[")
          .append(l.contexts().indexOf(f.context())).append("], ").append(f.seqno()).append(");\n");
    }
    for (int i = 0; i < l.resvs().size(); i++) {
      sb.append("\tdma_resv_init(&s->r[").append(i).append("]);\n");
    }
    for (int i = 0; i < l.mutexes().size(); i++) {
      sb.append("\tww_mutex_init(&s->m[").append(i).append("], ").append(classRef(l, p, l.mutexes().get(i).cls()))
          .append(");\n");
    }
    sb.append("}\n\n");
    // the call sites
    sb.append("static void ").append(p).append("call(struct sr_s *s, int site, struct sr_val *v)\n{\n\tswitch (site) {\n");
    for (int i = 0; i < sc.sites.size(); i++) {
      Scenario.Site site = sc.sites.get(i);
      sb.append("\tcase ").append(i).append(": /* ").append(cComment(site.stmt().call().toString())).append(" */\n");
      sb.append("\t\t").append(callCode(l, p, site.stmt().call())).append("\n\t\tbreak;\n");
    }
    sb.append("\t}\n}\n\n");
    // the BUG_ON guard of dma_resv_add_fence
    sb.append("static bool ").append(p).append("would_bug(struct sr_s *s, int site)\n{\n\tswitch (site) {\n");
    for (int i = 0; i < sc.sites.size(); i++) {
      Litmus.Call c = sc.sites.get(i).stmt().call();
      if (c.fn() == Calls.Fn.DMA_RESV_ADD_FENCE) {
        sb.append("\tcase ").append(i).append(":\n\t\treturn sr_add_would_bug(").append(arg(l, p, c, 0)).append(", ")
            .append(arg(l, p, c, 1)).append(", ").append(arg(l, p, c, 2)).append(");\n");
      }
    }
    sb.append("\t}\n\treturn false;\n}\n\n");
    // threads
    for (int t = 0; t < l.threads().size(); t++) {
      sb.append("static void ").append(p).append("thread_").append(t).append("(struct sr_s *s)\n{\n");
      body(sb, sc, p, t, l.threads().get(t).body(), 1);
      sb.append("}\n\n");
    }
    sb.append("static void (*const ").append(p).append("threads[])(struct sr_s *) = {");
    for (int t = 0; t < l.threads().size(); t++) {
      sb.append(t == 0 ? " " : ", ").append(p).append("thread_").append(t);
    }
    sb.append(" };\n");
    sb.append("static const int ").append(p).append("nregs[] = {");
    for (int t = 0; t < l.threads().size(); t++) {
      sb.append(t == 0 ? " " : ", ").append(sc.regs.get(t).size());
    }
    sb.append(" };\n");
    sb.append("static const struct sr_desc ").append(p).append("desc = {\n")
        .append("\t.index = ").append(n).append(",\n")
        .append("\t.nthreads = ").append(l.threads().size()).append(",\n")
        .append("\t.nfences = ").append(l.fences().size()).append(",\n")
        .append("\t.nresvs = ").append(l.resvs().size()).append(",\n")
        .append("\t.nregs = ").append(p).append("nregs,\n")
        .append("\t.setup = ").append(p).append("setup,\n")
        .append("\t.call = ").append(p).append("call,\n")
        .append("\t.would_bug = ").append(p).append("would_bug,\n")
        .append("\t.threads = ").append(p).append("threads,\n")
        .append("\t.trials = ").append(sc.trials).append(",\n")
        .append("\t.multi = ").append(sc.multi ? 1 : 0).append(",\n")
        .append("\t.stop_kind = ").append(sc.stop.ordinal()).append(",\n")
        .append("\t.stop_step = ").append(sc.stopStep).append(",\n")
        .append("};\n");
    sb.append("static void sr_case_").append(n).append("(struct kunit *test)\n{\n\tsr_run(test, &").append(p)
        .append("desc);\n}\n");
  }

  private void body(StringBuilder sb, Scenario sc, String p, int t, List<Stmt> stmts, int depth) {
    String ind = "\t".repeat(depth);
    for (Stmt s : stmts) {
      if (s instanceof Litmus.CallStmt c) {
        sb.append(ind).append("if (sr_call(s, ").append(t).append(", ").append(sc.siteIndex.get(c)).append(", ")
            .append(c.reg() == null ? -1 : sc.reg(t, c.reg())).append("))\n").append(ind).append("\treturn;\n");
      } else if (s instanceof Litmus.Expect e) {
        sb.append(ind).append("sr_expect(s, ").append(t).append(", ").append(e.pos().line()).append(", ")
            .append(e.pos().col()).append(", ").append(cond(sc, p, t, e.cond())).append(");\n");
      } else if (s instanceof Litmus.If i) {
        sb.append(ind).append("if (").append(cond(sc, p, t, i.cond())).append(") {\n");
        body(sb, sc, p, t, i.then(), depth + 1);
        if (!i.otherwise().isEmpty()) {
          sb.append(ind).append("} else {\n");
          body(sb, sc, p, t, i.otherwise(), depth + 1);
        }
        sb.append(ind).append("}\n");
      } else if (s instanceof Litmus.While w) {
        sb.append(ind).append("for (;;) {\n");
        sb.append(ind).append("\tif (sr_loop(s, ").append(t).append("))\n").append(ind).append("\t\treturn;\n");
        sb.append(ind).append("\tif (!(").append(cond(sc, p, t, w.cond())).append("))\n").append(ind)
            .append("\t\tbreak;\n");
        body(sb, sc, p, t, w.body(), depth + 1);
        sb.append(ind).append("}\n");
      }
    }
  }

  private String cond(Scenario sc, String p, int self, Cond c) {
    if (c instanceof Litmus.And a) {
      return "(" + cond(sc, p, self, a.left()) + " && " + cond(sc, p, self, a.right()) + ")";
    } else if (c instanceof Litmus.Or o) {
      return "(" + cond(sc, p, self, o.left()) + " || " + cond(sc, p, self, o.right()) + ")";
    } else if (c instanceof Litmus.Not n) {
      return "!" + cond(sc, p, self, n.inner());
    } else if (c instanceof Litmus.BoolConst b) {
      return b.value() ? "true" : "false";
    } else if (c instanceof Litmus.Signaled s) {
      return "test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &s->f[" + fence(sc.litmus, s.fence()) + "].flags)";
    } else if (c instanceof Litmus.Cmp cmp) {
      return (cmp.equal() ? "" : "!") + "sr_eq(" + expr(sc, self, cmp.left()) + ", " + expr(sc, self, cmp.right()) + ")";
    }
    throw new IllegalStateException("condition " + c + " in a thread");
  }

  private String expr(Scenario sc, int self, Litmus.Expr e) {
    if (e instanceof Litmus.Reg r) {
      int t = r.thread() == null ? self : sc.threadIndex(r.thread());
      return "s->reg[" + t + "][" + sc.reg(t, r.name()) + "]";
    }
    Value v = ((Litmus.Lit) e).value();
    if (v instanceof Value.Int i) {
      return i.v() == Calls.MAX_SCHEDULE_TIMEOUT ? "SR_VAL(SR_INT, MAX_SCHEDULE_TIMEOUT)"
          : "SR_VAL(SR_INT, " + i.v() + "LL)";
    } else if (v instanceof Value.Bool b) {
      return "SR_VAL(SR_BOOL, " + (b.v() ? 1 : 0) + ")";
    } else if (v instanceof Value.Null) {
      return "SR_VAL(SR_NULL, 0)";
    } else if (v instanceof Value.FenceSet fs) {
      long mask = 0;
      for (String f : fs.fences()) {
        mask |= 1L << fence(sc.litmus, f);
      }
      return "SR_VAL(SR_SET, " + mask + "LL)";
    } else if (v instanceof Value.FenceSeq fq) {
      return "SR_VAL(SR_SEQ, " + seqCode(sc.litmus, fq.fences()) + "LL)";
    }
    return "SR_VAL(SR_UNSET, 0)";
  }

  /** The most fences an SR_SEQ value holds: 5 bits (fence index + 1) each in an s64. */
  static final int MAX_SEQ = 12;

  /**
   * A fence sequence as the generated C's SR_SEQ value: entry i is fence index + 1 in bits
   * 5i..5i+4 (the first fence lowest); the empty sequence is 0. See sr_get_fences.
   */
  static long seqCode(Litmus l, List<String> fences) {
    if (fences.size() > MAX_SEQ) {
      throw new IllegalStateException("a fence sequence of more than " + MAX_SEQ + " fences");
    }
    long v = 0;
    for (int i = 0; i < fences.size(); i++) {
      v |= (long) (fence(l, fences.get(i)) + 1) << (5 * i);
    }
    return v;
  }

  private static int fence(Litmus l, String name) {
    for (int i = 0; i < l.fences().size(); i++) {
      if (l.fences().get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("fence " + name);
  }

  private static String classRef(Litmus l, String p, String cls) {
    if (cls.equals(LitmusParser.RESERVATION_WW_CLASS)) {
      return "&reservation_ww_class";
    }
    for (int i = 0; i < l.classes().size(); i++) {
      if (l.classes().get(i).name().equals(cls)) {
        return "&" + p + "class_" + i;
      }
    }
    throw new IllegalStateException("class " + cls);
  }

  private String arg(Litmus l, String p, Litmus.Call c, int i) {
    Arg a = c.args().get(i);
    Calls.Kind k = c.fn().params().get(i);
    if (a instanceof Litmus.Null) {
      return "NULL";
    }
    if (a instanceof Litmus.Bool b) {
      return b.value() ? "true" : "false";
    }
    if (a instanceof Litmus.Num num) {
      return num.value() == Calls.MAX_SCHEDULE_TIMEOUT ? "MAX_SCHEDULE_TIMEOUT" : "(" + num.value() + "L)";
    }
    String name = ((Litmus.Name) a).name();
    return switch (k) {
      case FENCE -> "&s->f[" + fence(l, name) + "]";
      case RESV -> "&s->r[" + l.resvs().indexOf(name) + "]";
      case MUTEX -> "&s->m[" + mutex(l, name) + "]";
      case CLASS -> classRef(l, p, name);
      case CTX, CTX_OR_NULL -> "&s->x[" + l.ctxs().indexOf(name) + "]";
      case CONTEXT -> "s->ctx[" + l.contexts().indexOf(name) + "]";
      case USAGE -> "DMA_RESV_USAGE_" + name;
      case CB -> "&s->cb[" + l.callbacks().indexOf(name) + "].cb";
      case INT, ERROR -> {
        Integer e = name.startsWith("-") ? Calls.ERRNO.get(name.substring(1)) : null;
        if (e == null) {
          throw new IllegalStateException("argument " + name);
        }
        yield "(-" + e + "L)";
      }
      case BOOL -> name;
    };
  }

  private static int mutex(Litmus l, String name) {
    for (int i = 0; i < l.mutexes().size(); i++) {
      if (l.mutexes().get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("mutex " + name);
  }

  /** The C statement of a call, as its declaration in {@link Calls.Fn} makes it; it stores the result in *v. */
  private String callCode(Litmus l, String p, Litmus.Call c) {
    int n = c.args().size();
    String[] a = new String[n];
    for (int i = 0; i < n; i++) {
      a[i] = arg(l, p, c, i);
    }
    return c.fn().c().code().apply(new Calls.CArgs() {
      @Override
      public String arg(int i) {
        return a[i];
      }

      @Override
      public int fenceIndex(int i) {
        return fence(l, ((Litmus.Name) c.args().get(i)).name());
      }

      @Override
      public boolean checkAndSignal() {
        return api.checkAndSignal();
      }
    });
  }

  private static String cComment(String s) {
    return s.replace("*/", "* /").replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** The fixed part: types, the call wrapper, the trial loop, the outcome and teardown. */
  static final String RUNTIME = """
      // SPDX-License-Identifier: GPL-2.0
      /*
       * Generated by syncref kernel-check for Linux @VERSION@: do not edit.
       * Each case runs one litmus scenario on the kernel's dma-fence.c, dma-resv.c and ww_mutex
       * code and prints SR|... lines that syncref compares with the TLA+ spec.
       */
      #include <kunit/test.h>
      #include <linux/completion.h>
      #include <linux/debug_locks.h>
      #include <linux/delay.h>
      #include <linux/dma-fence.h>
      #include <linux/dma-fence-array.h>
      #include <linux/dma-resv.h>
      #include <linux/jiffies.h>
      #include <linux/kthread.h>
      #include <linux/random.h>
      #include <linux/sched.h>
      #include <linux/slab.h>
      #include <linux/ww_mutex.h>

      /* kernel/locking/test-ww_mutex.c's ww_acquire_init_noinject */
      #ifdef CONFIG_DEBUG_WW_MUTEX_SLOWPATH
      #define sr_ww_acquire_init_noinject(a, b) do { \\
      		ww_acquire_init((a), (b)); \\
      		(a)->deadlock_inject_countdown = ~0U; \\
      	} while (0)
      #else
      #define sr_ww_acquire_init_noinject(a, b) ww_acquire_init((a), (b))
      #endif

      #define SR_LATER_OR_SAME @LOS@
      #define SR_CHECK_AND_SIGNAL @CAS@
      /* dma_fence_ops has set_deadline (6.4 and later) */
      #define SR_SET_DEADLINE @DL@

      /*
       * SR_SET: a mask of fence indices (a {f1, f2} literal). SR_SEQ: fences in order, duplicates
       * kept (what dma_resv_get_fences returns, and a [f1, f2] literal): entry i is the fence
       * index + 1 in bits 5i..5i+4, at most SR_MAXSEQ entries.
       */
      enum { SR_UNSET, SR_INT, SR_BOOL, SR_NULL, SR_SET, SR_SEQ };
      #define SR_MAXSEQ 12
      struct sr_val {
      	int k;
      	s64 v;
      };
      #define SR_VAL(kind, val) ((struct sr_val){ .k = (kind), .v = (s64)(val) })

      /* The distinct fences of an SR_SEQ value, as an SR_SET mask. */
      static s64 sr_seq_mask(s64 v)
      {
      	s64 mask = 0;

      	for (; v; v >>= 5)
      		mask |= 1LL << ((v & 31) - 1);
      	return mask;
      }

      /* ==: a set equals a sequence whose distinct fences it is; else kind and value. */
      static bool sr_eq(struct sr_val a, struct sr_val b)
      {
      	if (a.k == SR_SEQ && b.k == SR_SET)
      		return sr_seq_mask(a.v) == b.v;
      	if (a.k == SR_SET && b.k == SR_SEQ)
      		return a.v == sr_seq_mask(b.v);
      	return a.k == b.k && a.v == b.v;
      }

      struct sr_cb {
      	struct dma_fence_cb cb;
      	int ran;
      };

      static void sr_cb_func(struct dma_fence *f, struct dma_fence_cb *cb)
      {
      	container_of(cb, struct sr_cb, cb)->ran++;
      }

      static const char *sr_fence_name(struct dma_fence *f)
      {
      	return "syncref";
      }

      /* The fences live in struct sr_s, freed by the case after the last put. */
      static void sr_fence_release(struct dma_fence *f)
      {
      }

      static const struct dma_fence_ops sr_fence_ops = {
      	.get_driver_name = sr_fence_name,
      	.get_timeline_name = sr_fence_name,
      	.release = sr_fence_release,
      };

      #define SR_MAXF 16
      #define SR_MAXR 8
      #define SR_MAXM 8
      #define SR_MAXX 8
      #define SR_MAXCB 8
      #define SR_MAXC 8
      #define SR_MAXT 4
      #define SR_MAXREG 16

      enum { SR_STOP_NONE, SR_STOP_CONTRACT, SR_STOP_PROBE };
      enum { SR_RUN, SR_BUG, SR_CONTRACT, SR_BLOCKED, SR_PROBE_RETURNED, SR_LOOP };

      struct sr_s;
      struct sr_desc {
      	int index;
      	int nthreads, nfences, nresvs;
      	const int *nregs;
      	void (*setup)(struct sr_s *s);
      	void (*call)(struct sr_s *s, int site, struct sr_val *v);
      	bool (*would_bug)(struct sr_s *s, int site);
      	void (*const *threads)(struct sr_s *s);
      	int trials, multi, stop_kind, stop_step;
      };

      struct sr_thr {
      	struct sr_s *s;
      	int tid;
      };

      struct sr_s {
      	const struct sr_desc *d;
      	spinlock_t lock[SR_MAXF];
      	struct dma_fence f[SR_MAXF];
      	struct dma_resv r[SR_MAXR];
      	struct ww_mutex m[SR_MAXM];
      	struct ww_acquire_ctx x[SR_MAXX];
      	struct sr_cb cb[SR_MAXCB];
      	u64 ctx[SR_MAXC];
      	struct sr_val reg[SR_MAXT][SR_MAXREG];
      	int steps[SR_MAXT];
      	int stopped[SR_MAXT];
      	int loops[SR_MAXT];
      	struct sr_thr thr[SR_MAXT];
      	struct completion go;
      	struct completion done[SR_MAXT];
      	bool leak;
      	/* hw_complete(f): the hardware has passed f (read by the peeking ops below) */
      	bool hw[SR_MAXF];
      };

      /* The trial running now (trials run one at a time): where the peeking ops look. */
      static struct sr_s *sr_cur;

      static bool sr_fence_hw_done(struct dma_fence *f)
      {
      	int i;

      	for (i = 0; i < SR_MAXF; i++)
      		if (f == &sr_cur->f[i])
      			return READ_ONCE(sr_cur->hw[i]);
      	return false;
      }

      /* ops->signaled: the hardware has passed the fence (litmus: fence ... ops signaled) */
      static bool sr_fence_signaled(struct dma_fence *f)
      {
      	return sr_fence_hw_done(f);
      }

      /* ops->enable_signaling: false if the fence has passed already (ops enable_signaling) */
      static bool sr_fence_enable_signaling(struct dma_fence *f)
      {
      	return !sr_fence_hw_done(f);
      }

      #if SR_SET_DEADLINE
      /* ops->set_deadline: the peeking ops implement it and drop the hint (litmus: ops signaled) */
      static void sr_fence_set_deadline(struct dma_fence *f, ktime_t deadline)
      {
      }
      #endif

      static const struct dma_fence_ops sr_fence_ops_sig = {
      	.get_driver_name = sr_fence_name,
      	.get_timeline_name = sr_fence_name,
      	.signaled = sr_fence_signaled,
      #if SR_SET_DEADLINE
      	.set_deadline = sr_fence_set_deadline,
      #endif
      	.release = sr_fence_release,
      };

      static const struct dma_fence_ops sr_fence_ops_en = {
      	.get_driver_name = sr_fence_name,
      	.get_timeline_name = sr_fence_name,
      	.enable_signaling = sr_fence_enable_signaling,
      	.release = sr_fence_release,
      };

      static const struct dma_fence_ops sr_fence_ops_sig_en = {
      	.get_driver_name = sr_fence_name,
      	.get_timeline_name = sr_fence_name,
      	.enable_signaling = sr_fence_enable_signaling,
      	.signaled = sr_fence_signaled,
      #if SR_SET_DEADLINE
      	.set_deadline = sr_fence_set_deadline,
      #endif
      	.release = sr_fence_release,
      };

      /* dma-resv.c's private list (checked by syncref against the tree's source). */
      struct sr_resv_list {
      	struct rcu_head rcu;
      	u32 num_fences, max_fences;
      	struct dma_fence __rcu *table[];
      };

      /*
       * dma_resv_add_fence's BUG_ON(num_fences >= max_fences) (or a NULL list) would fire: the
       * kernel's replacement loop, read without changing anything. A BUG would kill the kernel,
       * so the call is reported, not executed.
       */
      static bool sr_add_would_bug(struct dma_resv *obj, struct dma_fence *fence,
      			     enum dma_resv_usage usage)
      {
      	struct sr_resv_list *l = (struct sr_resv_list *)rcu_access_pointer(obj->fences);
      	u32 i;

      	if (!l)
      		return true;
      	for (i = 0; i < l->num_fences; i++) {
      		unsigned long tmp = (unsigned long)rcu_access_pointer(l->table[i]);
      		struct dma_fence *old = (struct dma_fence *)(tmp & ~3UL);
      		enum dma_resv_usage old_usage = tmp & 3UL;

      		if ((old->context == fence->context && old_usage >= usage &&
      		     (!SR_LATER_OR_SAME || old == fence || dma_fence_is_later(fence, old))) ||
      		    dma_fence_is_signaled(old))
      			return false;
      	}
      	return l->num_fences >= l->max_fences;
      }

      /*
       * dma_resv_get_fences: the array in its order (the unlocked walk's, table order), each
       * entry kept, as SR_SEQ; more than SR_MAXSEQ entries, or a fence not of the scenario,
       * reads -EOVERFLOW (a value no spec outcome has, so it is reported, never hidden).
       */
      static struct sr_val sr_get_fences(struct sr_s *s, struct dma_resv *obj,
      				   enum dma_resv_usage usage)
      {
      	struct dma_fence **fences = NULL;
      	unsigned int num = 0, i;
      	int j, ret;
      	s64 seq = 0;
      	bool over = false;

      	ret = dma_resv_get_fences(obj, usage, &num, &fences);
      	if (ret)
      		return SR_VAL(SR_INT, ret);
      	for (i = 0; i < num; i++) {
      		for (j = 0; j < s->d->nfences; j++)
      			if (fences[i] == &s->f[j])
      				break;
      		if (i < SR_MAXSEQ && j < s->d->nfences)
      			seq |= (s64)(j + 1) << (5 * i);
      		else
      			over = true;
      		dma_fence_put(fences[i]);
      	}
      	kfree(fences);
      	return over ? SR_VAL(SR_INT, -EOVERFLOW) : SR_VAL(SR_SEQ, seq);
      }

      /*
       * dma_resv_get_singleton: what *fence stands for, as SR_SEQ: 0 for NULL, the fence, or
       * the members of the dma_fence_array it made (to_dma_fence_array); then the reference is
       * put. Fences outside the scenario, or too many, read -EOVERFLOW.
       */
      static struct sr_val sr_get_singleton(struct sr_s *s, struct dma_resv *obj,
      				      enum dma_resv_usage usage)
      {
      	struct dma_fence *fence = NULL, *f;
      	struct dma_fence_array *array;
      	unsigned int n, i;
      	int j, ret;
      	s64 seq = 0;
      	bool over = false;

      	ret = dma_resv_get_singleton(obj, usage, &fence);
      	if (ret)
      		return SR_VAL(SR_INT, ret);
      	if (!fence)
      		return SR_VAL(SR_SEQ, 0);
      	array = to_dma_fence_array(fence);
      	n = array ? array->num_fences : 1;
      	for (i = 0; i < n; i++) {
      		f = array ? array->fences[i] : fence;
      		for (j = 0; j < s->d->nfences; j++)
      			if (f == &s->f[j])
      				break;
      		if (i < SR_MAXSEQ && j < s->d->nfences)
      			seq |= (s64)(j + 1) << (5 * i);
      		else
      			over = true;
      	}
      	dma_fence_put(fence);
      	return over ? SR_VAL(SR_INT, -EOVERFLOW) : SR_VAL(SR_SEQ, seq);
      }

      /* The fences dma_resv_for_each_fence visits (lock held: every entry, signaled too), as SR_SEQ. */
      static struct sr_val sr_for_each_fence(struct sr_s *s, struct dma_resv *obj,
      				       enum dma_resv_usage usage)
      {
      	struct dma_resv_iter cursor;
      	struct dma_fence *fence;
      	unsigned int i = 0;
      	int j;
      	s64 seq = 0;
      	bool over = false;

      	dma_resv_for_each_fence(&cursor, obj, usage, fence) {
      		for (j = 0; j < s->d->nfences; j++)
      			if (fence == &s->f[j])
      				break;
      		if (i < SR_MAXSEQ && j < s->d->nfences)
      			seq |= (s64)(j + 1) << (5 * i);
      		else
      			over = true;
      		i++;
      	}
      	dma_resv_iter_end(&cursor);
      	return over ? SR_VAL(SR_INT, -EOVERFLOW) : SR_VAL(SR_SEQ, seq);
      }

      /*
       * Scheduling perturbation at a call boundary of a multi-thread scenario: mostly nothing,
       * often a yield, sometimes a short sleep or spin, rarely a sleep of a few jiffies (long
       * enough for another thread's wait_timeout to run out).
       */
      static void sr_perturb(void)
      {
      	u32 r = get_random_u32() % 32;

      	if (r < 10)
      		yield();
      	else if (r < 14)
      		usleep_range(1, 30);
      	else if (r < 16)
      		udelay(get_random_u32() % 5);
      	else if (r == 16)
      		msleep(1 + get_random_u32() % 30);
      }

      struct sr_probe {
      	struct sr_s *s;
      	int tid, site;
      	struct sr_val v;
      	struct completion done;
      };

      static int sr_probe_fn(void *data)
      {
      	struct sr_probe *pr = data;

      	pr_info("SR|B|%d|%d|%d\\n", current->pid, pr->tid, pr->site);
      	pr->s->d->call(pr->s, pr->site, &pr->v);
      	complete(&pr->done);
      	return 0;
      }

      /* Runs call site `site` of thread tid; returns nonzero when the thread must stop. */
      static int sr_call(struct sr_s *s, int tid, int site, int reg)
      {
      	const struct sr_desc *d = s->d;
      	struct sr_val v = SR_VAL(SR_UNSET, 0);
      	int step = ++s->steps[tid];

      	if (d->multi)
      		sr_perturb();
      	if (!d->multi && step == d->stop_step && d->stop_kind == SR_STOP_CONTRACT) {
      		/* not executed; whether the kernel's BUG_ON would fire (add_fence) is reported */
      		pr_info("SR|X|%d|%d|contract|%d\\n", tid, site, d->would_bug(s, site) ? 1 : 0);
      		s->stopped[tid] = SR_CONTRACT;
      		return 1;
      	}
      	if (d->would_bug(s, site)) {
      		pr_info("SR|X|%d|%d|bug\\n", tid, site);
      		s->stopped[tid] = SR_BUG;
      		return 1;
      	}
      	if (!d->multi && step == d->stop_step && d->stop_kind == SR_STOP_PROBE) {
      		struct sr_probe *pr = kzalloc(sizeof(*pr), GFP_KERNEL);

      		if (!pr)
      			return 1;
      		pr->s = s;
      		pr->tid = tid;
      		pr->site = site;
      		init_completion(&pr->done);
      		kthread_run(sr_probe_fn, pr, "sr-probe");
      		if (!wait_for_completion_timeout(&pr->done, msecs_to_jiffies(300))) {
      			pr_info("SR|P|%d|%d|blocks\\n", tid, site);
      			s->stopped[tid] = SR_BLOCKED;
      			s->leak = true; /* the helper still sleeps on the scenario's objects */
      			return 1;
      		}
      		pr_info("SR|R|%d|%d|%d|%lld\\n", tid, site, pr->v.k, pr->v.v);
      		if (reg >= 0)
      			s->reg[tid][reg] = pr->v;
      		kfree(pr);
      		s->stopped[tid] = SR_PROBE_RETURNED;
      		if (!debug_locks)
      			debug_locks = 1;
      		return 1;
      	}
      	pr_info("SR|B|%d|%d|%d\\n", current->pid, tid, site);
      	d->call(s, site, &v);
      	pr_info("SR|R|%d|%d|%d|%lld\\n", tid, site, v.k, v.v);
      	if (reg >= 0)
      		s->reg[tid][reg] = v;
      	/* a DEBUG_LOCKS_WARN_ON turned the lock checks off: turn them on for the next WARN */
      	if (!debug_locks)
      		debug_locks = 1;
      	return 0;
      }

      static void sr_expect(struct sr_s *s, int tid, int line, int col, bool ok)
      {
      	pr_info("SR|E|%d|%d|%d|%d\\n", tid, line, col, ok ? 1 : 0);
      }

      /* A while loop's iteration: yields (UML does not preempt) and bounds the loop. */
      static int sr_loop(struct sr_s *s, int tid)
      {
      	if (++s->loops[tid] > 100000) {
      		s->stopped[tid] = SR_LOOP;
      		return 1;
      	}
      	if (s->d->multi)
      		yield();
      	return 0;
      }

      static int sr_kthread(void *data)
      {
      	struct sr_thr *t = data;

      	wait_for_completion(&t->s->go);
      	t->s->d->threads[t->tid](t->s);
      	complete(&t->s->done[t->tid]);
      	return 0;
      }

      static void sr_outcome(struct sr_s *s, int trial, int hung)
      {
      	const struct sr_desc *d = s->d;
      	char *buf = kzalloc(2048, GFP_KERNEL);
      	int len = 0, t, i;
      	s64 sig = 0;

      	if (!buf)
      		return;
      	for (i = 0; i < d->nfences; i++)
      		if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &s->f[i].flags))
      			sig |= 1LL << i;
      	len += scnprintf(buf + len, 2048 - len, "SR|O|%d|%d|%lld|", trial, hung, sig);
      	for (t = 0; t < d->nthreads; t++)
      		len += scnprintf(buf + len, 2048 - len, "%s%d", t ? "," : "", s->stopped[t]);
      	len += scnprintf(buf + len, 2048 - len, "|");
      	for (t = 0; t < d->nthreads; t++)
      		for (i = 0; i < d->nregs[t]; i++)
      			if (s->reg[t][i].k != SR_UNSET)
      				len += scnprintf(buf + len, 2048 - len, "%d:%d:%d:%lld,", t, i,
      						 s->reg[t][i].k, s->reg[t][i].v);
      	pr_info("%s\\n", buf);
      	kfree(buf);
      }

      static void sr_teardown(struct sr_s *s, int trial)
      {
      	const struct sr_desc *d = s->d;
      	int i;

      	pr_info("SR|D|%d\\n", trial);
      	for (i = 0; i < d->nfences; i++)
      		dma_fence_signal(&s->f[i]);
      	for (i = 0; i < d->nresvs; i++)
      		dma_resv_fini(&s->r[i]);
      	for (i = 0; i < d->nfences; i++)
      		dma_fence_put(&s->f[i]);
      	if (!debug_locks)
      		debug_locks = 1;
      	kfree(s);
      }

      static void sr_run(struct kunit *test, const struct sr_desc *d)
      {
      	int trial, t;

      	pr_info("SR|C|%d\\n", d->index);
      	debug_locks = 1;
      	for (trial = 0; trial < d->trials; trial++) {
      		struct sr_s *s = kzalloc(sizeof(*s), GFP_KERNEL);
      		int hung = 0;

      		KUNIT_ASSERT_NOT_NULL(test, s);
      		s->d = d;
      		d->setup(s);
      		pr_info("SR|T|%d\\n", trial);
      		if (!d->multi) {
      			d->threads[0](s);
      		} else {
      			init_completion(&s->go);
      			for (t = 0; t < d->nthreads; t++) {
      				s->thr[t].s = s;
      				s->thr[t].tid = t;
      				init_completion(&s->done[t]);
      				kthread_run(sr_kthread, &s->thr[t], "sr-%d-%d", d->index, t);
      			}
      			complete_all(&s->go);
      			for (t = 0; t < d->nthreads; t++)
      				if (!wait_for_completion_timeout(&s->done[t], msecs_to_jiffies(2000)))
      					hung = 1;
      		}
      		sr_outcome(s, trial, hung);
      		if (hung || s->leak) {
      			/* threads sleep on the scenario's objects for ever: keep them, stop */
      			pr_info("SR|H|%d\\n", trial);
      			break;
      		}
      		sr_teardown(s, trial);
      	}
      	pr_info("SR|Z|%d\\n", d->index);
      }
      """;
}
