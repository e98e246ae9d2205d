package org.syncref.kernelcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.syncref.litmus.Litmus;
import org.syncref.litmus.Litmus.Cond;
import org.syncref.litmus.Litmus.Stmt;

/**
 * One litmus file as the generated KUnit case runs it: its index in the suite, the call sites
 * (numbered in file order, the number the console events carry), each thread's registers
 * (numbered per thread), and how it runs.
 */
final class Scenario {
  /** How the case stops a one-thread file before a call the spec leaves undefined or that blocks. */
  enum Stop {
    NONE,
    /** the spec says the call breaks the API contract: not executed */
    CONTRACT,
    /** the spec says the call blocks for ever: run in a helper kthread with a timeout */
    PROBE
  }

  /** A call site: its thread index and statement. */
  record Site(int thread, Litmus.CallStmt stmt) {}

  final int index;
  final Litmus litmus;
  final List<Site> sites = new ArrayList<>();
  final Map<Litmus.CallStmt, Integer> siteIndex = new java.util.IdentityHashMap<>();
  /** per thread: register name -> index */
  final List<Map<String, Integer>> regs = new ArrayList<>();
  final boolean multi;
  final int trials;
  /** The kernel build the case runs on (Litmus.BUILDS). */
  final String build;
  Stop stop = Stop.NONE;
  /** 1-based dynamic call step of thread 0 at which {@link #stop} applies */
  int stopStep = -1;

  Scenario(int index, Litmus litmus, int trials) {
    this(index, litmus, trials, KernelTree.DEFAULT_BUILD);
  }

  Scenario(int index, Litmus litmus, int trials, String build) {
    this.build = build;
    this.index = index;
    this.litmus = litmus;
    this.multi = litmus.threads().size() > 1;
    this.trials = multi ? trials : 1;
    for (int t = 0; t < litmus.threads().size(); t++) {
      regs.add(new LinkedHashMap<>());
    }
    for (int t = 0; t < litmus.threads().size(); t++) {
      collect(t, litmus.threads().get(t).body());
    }
    if (litmus.exists() != null) {
      regsOf(-1, litmus.exists());
    }
  }

  int threadIndex(String name) {
    for (int t = 0; t < litmus.threads().size(); t++) {
      if (litmus.threads().get(t).name().equals(name)) {
        return t;
      }
    }
    return -1;
  }

  /** The register's index in its thread, added on first use. */
  int reg(int thread, String name) {
    return regs.get(thread).computeIfAbsent(name, k -> regs.get(thread).size());
  }

  private void collect(int t, List<Stmt> body) {
    for (Stmt s : body) {
      if (s instanceof Litmus.CallStmt c) {
        siteIndex.put(c, sites.size());
        sites.add(new Site(t, c));
        if (c.reg() != null) {
          reg(t, c.reg());
        }
      } else if (s instanceof Litmus.Expect e) {
        regsOf(t, e.cond());
      } else if (s instanceof Litmus.If i) {
        regsOf(t, i.cond());
        collect(t, i.then());
        collect(t, i.otherwise());
      } else if (s instanceof Litmus.While w) {
        regsOf(t, w.cond());
        collect(t, w.body());
      }
    }
  }

  private void regsOf(int self, Cond c) {
    if (c instanceof Litmus.And a) {
      regsOf(self, a.left());
      regsOf(self, a.right());
    } else if (c instanceof Litmus.Or o) {
      regsOf(self, o.left());
      regsOf(self, o.right());
    } else if (c instanceof Litmus.Not n) {
      regsOf(self, n.inner());
    } else if (c instanceof Litmus.Cmp cmp) {
      for (Litmus.Expr e : List.of(cmp.left(), cmp.right())) {
        if (e instanceof Litmus.Reg r) {
          int t = r.thread() == null ? self : threadIndex(r.thread());
          if (t >= 0) {
            reg(t, r.name());
          }
        }
      }
    }
  }

  /** The most registers of any thread. */
  int maxRegs() {
    int m = 1;
    for (Map<String, Integer> r : regs) {
      m = Math.max(m, r.size());
    }
    return m;
  }
}
