package org.syncref.litmus;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.StringJoiner;
import org.syncref.litmus.Litmus.Cond;
import org.syncref.litmus.Litmus.Expr;

/**
 * How an execution ended: every thread's registers, the signaled fences, the kernel functions
 * that WARNed, and whether a BUG fired, threads blocked forever (deadlock) or a call broke the
 * API contract (the spec does not define it there). The spec's and the Java implementation's
 * outcomes of a file are compared as sets of these.
 *
 * <p>{@code kernel}: after the contract breach the execution went on as the kernel does (the
 * spec's AddFenceKernel for a dma_resv_add_fence without a reserved slot); the rest of the
 * outcome is then the kernel's, and it reads {@code contract; kernel: ...}. Without it a
 * contract breach ends the execution there ({@code ...; contract}).
 */
public record Outcome(
    SortedMap<String, SortedMap<String, Value>> regs,
    SortedSet<String> signaled,
    SortedSet<String> warnFns,
    boolean bug,
    boolean deadlock,
    boolean contract,
    boolean kernel) {

  /** An outcome whose contract breach, if any, ended the execution. */
  public Outcome(SortedMap<String, SortedMap<String, Value>> regs, SortedSet<String> signaled,
      SortedSet<String> warnFns, boolean bug, boolean deadlock, boolean contract) {
    this(regs, signaled, warnFns, bug, deadlock, contract, false);
  }

  /**
   * What the kernel (or the Java implementation) shows of this outcome: for a contract breach
   * the kernel went on from, the same outcome without the contract; else this one.
   */
  public Outcome kernelView() {
    return kernel ? new Outcome(regs, signaled, warnFns, bug, deadlock, false, false) : this;
  }

  /** The spec outcome that an implementation outcome {@code o} stands for, or null if none. */
  public static Outcome specOutcomeOf(Outcome o, java.util.Collection<Outcome> spec) {
    if (spec.contains(o)) {
      return o;
    }
    for (Outcome s : spec) {
      if (s.kernel && s.kernelView().equals(o)) {
        return s;
      }
    }
    return null;
  }

  /** The kernel state a condition reads, and the thread whose bare registers it means. */
  interface Env {
    Value reg(String thread, String name);

    boolean signaled(String fence);

    boolean warn();

    boolean bug();

    boolean deadlock();

    boolean contract();
  }

  /** This outcome as a condition environment (final condition). */
  Env env() {
    return new Env() {
      @Override
      public Value reg(String thread, String name) {
        SortedMap<String, Value> r = regs.get(thread);
        Value v = r == null ? null : r.get(name);
        return v == null ? Value.UNSET : v;
      }

      @Override
      public boolean signaled(String fence) {
        return signaled.contains(fence);
      }

      @Override
      public boolean warn() {
        return !warnFns.isEmpty();
      }

      @Override
      public boolean bug() {
        return bug;
      }

      @Override
      public boolean deadlock() {
        return deadlock;
      }

      @Override
      public boolean contract() {
        return contract;
      }
    };
  }

  /** Whether this outcome satisfies a final condition (an {@code exists} clause). */
  public boolean satisfies(Cond exists) {
    return eval(exists, env(), null);
  }

  /** Evaluates a condition; bare registers are {@code self}'s. */
  static boolean eval(Cond c, Env env, String self) {
    if (c instanceof Litmus.And a) {
      return eval(a.left(), env, self) && eval(a.right(), env, self);
    } else if (c instanceof Litmus.Or o) {
      return eval(o.left(), env, self) || eval(o.right(), env, self);
    } else if (c instanceof Litmus.Not n) {
      return !eval(n.inner(), env, self);
    } else if (c instanceof Litmus.BoolConst b) {
      return b.value();
    } else if (c instanceof Litmus.Signaled s) {
      return env.signaled(s.fence());
    } else if (c instanceof Litmus.Atom a) {
      return switch (a.kind()) {
        case "deadlock" -> env.deadlock();
        case "warn" -> env.warn();
        case "bug" -> env.bug();
        case "contract" -> env.contract();
        default -> throw new IllegalStateException(a.kind());
      };
    } else if (c instanceof Litmus.Cmp cmp) {
      Value l = value(cmp.left(), env, self);
      Value r = value(cmp.right(), env, self);
      return Value.same(l, r) == cmp.equal();
    }
    throw new IllegalStateException(String.valueOf(c));
  }

  private static Value value(Expr e, Env env, String self) {
    if (e instanceof Litmus.Lit l) {
      return l.value();
    }
    Litmus.Reg r = (Litmus.Reg) e;
    return env.reg(r.thread() == null ? self : r.thread(), r.name());
  }

  @Override
  public String toString() {
    StringJoiner sj = new StringJoiner("; ");
    for (Map.Entry<String, SortedMap<String, Value>> t : regs.entrySet()) {
      for (Map.Entry<String, Value> r : t.getValue().entrySet()) {
        sj.add(t.getKey() + ":" + r.getKey() + "=" + r.getValue());
      }
    }
    sj.add("signaled {" + String.join(", ", signaled) + "}");
    if (!warnFns.isEmpty()) {
      sj.add("warn " + List.copyOf(warnFns));
    }
    if (bug) {
      sj.add("bug");
    }
    if (deadlock) {
      sj.add("deadlock");
    }
    if (contract && !kernel) {
      sj.add("contract");
    }
    return (kernel ? "contract; kernel: " : "") + sj;
  }
}
