package org.syncref.litmus;

import java.util.ArrayList;
import java.util.List;
import org.syncref.litmus.Litmus.Cond;
import org.syncref.litmus.Litmus.Pos;
import org.syncref.litmus.Litmus.Stmt;

/**
 * A thread's statements compiled to a flat list of instructions: calls, expects, conditional and
 * unconditional jumps. The program counter is an index into it; {@code size()} is the end.
 */
final class Program {
  sealed interface Ins permits ICall, IExpect, IBranch, IJump {}

  /** A kernel call; reg may be null. */
  record ICall(String reg, Litmus.Call call, Pos pos) implements Ins {}

  record IExpect(Cond cond, Pos pos) implements Ins {}

  /** If cond is false, jump to target (if/while). */
  record IBranch(Cond cond, int target, Pos pos) implements Ins {}

  record IJump(int target) implements Ins {}

  final String thread;
  final List<Ins> code = new ArrayList<>();

  Program(Litmus.ThreadDecl t) {
    this.thread = t.name();
    compile(t.body());
  }

  private void compile(List<Stmt> body) {
    for (Stmt s : body) {
      if (s instanceof Litmus.CallStmt c) {
        code.add(new ICall(c.reg(), c.call(), c.pos()));
      } else if (s instanceof Litmus.Expect e) {
        code.add(new IExpect(e.cond(), e.pos()));
      } else if (s instanceof Litmus.If i) {
        int br = code.size();
        code.add(null);
        compile(i.then());
        if (i.otherwise().isEmpty()) {
          code.set(br, new IBranch(i.cond(), code.size(), i.pos()));
        } else {
          int jmp = code.size();
          code.add(null);
          code.set(br, new IBranch(i.cond(), code.size(), i.pos()));
          compile(i.otherwise());
          code.set(jmp, new IJump(code.size()));
        }
      } else if (s instanceof Litmus.While w) {
        int top = code.size();
        code.add(null);
        compile(w.body());
        code.add(new IJump(top));
        code.set(top, new IBranch(w.cond(), code.size(), w.pos()));
      }
    }
  }

  /** Whether a condition reads only registers (so it can be evaluated without a step). */
  static boolean local(Cond c) {
    if (c instanceof Litmus.And a) {
      return local(a.left()) && local(a.right());
    } else if (c instanceof Litmus.Or o) {
      return local(o.left()) && local(o.right());
    } else if (c instanceof Litmus.Not n) {
      return local(n.inner());
    } else if (c instanceof Litmus.Cmp || c instanceof Litmus.BoolConst) {
      return true;
    }
    return false; // signaled(f), warn, bug, deadlock read the kernel's state
  }
}
