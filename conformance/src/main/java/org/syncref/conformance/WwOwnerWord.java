package org.syncref.conformance;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.syncref.modelcheck.tlc.V;
import org.syncref.ww.WwMutex;
import tlc2.value.impl.Value;

/**
 * The ww_mutex owner-word flags in WwCalls' and WwMutex's variables, shared by the conformance
 * worlds over Java {@link WwMutex}es ({@link WwWorld}, {@link DrmExecWorld}): {@code handoff}
 * (MUTEX_FLAG_HANDOFF) and {@code pickup} (the task a lock was handed to, MUTEX_FLAG_PICKUP),
 * and which of the spec's sleeper steps a parked thread took when it ran.
 */
final class WwOwnerWord {
  private WwOwnerWord() {}

  /** Puts {@code handoff} and {@code pickup} of the locks (named by {@code lockNames}) into s. */
  static void put(Map<String, Value> s, List<String> lockNames, WwMutex[] locks, List<String> threadNames,
      Thread[] threads) {
    Map<Value, Value> handoff = new LinkedHashMap<>();
    Map<Value, Value> pickup = new LinkedHashMap<>();
    for (int l = 0; l < locks.length; l++) {
      handoff.put(V.mv(lockNames.get(l)), V.b(locks[l].isHandoffPending()));
      int p = Arrays.asList(threads).indexOf(locks[l].pickupTask());
      pickup.put(V.mv(lockNames.get(l)), V.mv(p < 0 ? "None" : threadNames.get(p)));
    }
    s.put("handoff", V.fcn(handoff));
    s.put("pickup", V.fcn(pickup));
  }

  /**
   * What a parked thread saw of its lock before the schedule ran it: whether it was the first
   * waiter, and whether MUTEX_FLAG_HANDOFF was set.
   */
  record Sleeper(WwMutex lock, boolean first, boolean handoff) {
    static Sleeper before(WwMutex lock, Thread task) {
      List<WwMutex.WaiterInfo> list = lock.waitList();
      return new Sleeper(lock, !list.isEmpty() && list.get(0).task() == task, lock.isHandoffPending());
    }

    /**
     * Its lock call returned: {@code action} is WaitAcquire if it took the lock (WaitSteal if it
     * was not the first waiter), or WaitDie.
     */
    String returned(String action) {
      return action.equals("WaitAcquire") && !first ? "WaitSteal" : action;
    }

    /** It parked again: WaitHandoff if it set MUTEX_FLAG_HANDOFF, else null (no step). */
    String parkedAgain() {
      return !handoff && lock.isHandoffPending() ? "WaitHandoff" : null;
    }
  }
}
