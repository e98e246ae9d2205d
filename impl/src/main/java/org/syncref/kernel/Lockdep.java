package org.syncref.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of lockdep (CONFIG_PROVE_LOCKING) that the ww_mutex debug rules rely on: per-task
 * stacks of held locks, same-class recursion with nest_lock, the lock-order graph between
 * classes, wait contexts and unlock balance. One instance per {@link Kernel} ({@link #of}).
 *
 * <p>Algorithm notes. References: (1) kernel/locking/lockdep.c (6.12): __lock_acquire (the
 * merge of a same-class acquisition with a nest_lock into the top held lock, counted in
 * {@code references}; the nest_lock-held check, print_lock_nested_lock_not_held),
 * check_wait_context (print_lock_invalid_wait_context), validate_chain (trylocks add no
 * dependency and are not checked), check_deadlock (print_deadlock_bug, "possible recursive
 * locking detected", unless the nest_lock is held below the earlier lock of the class),
 * check_prevs_add / check_prev_add / check_noncircular (dependencies from the held locks down
 * to and including the first non-trylock; print_circular_bug), __lock_release and
 * find_held_lock / match_held_lock (a lock with references matches any lock of its class;
 * print_unlock_imbalance_bug; the held locks above a released one are re-acquired).
 * (2) include/linux/lockdep_types.h: enum lockdep_wait_type.
 *
 * <p>Differences to the kernel, on purpose: every report is recorded as a {@link Warning}
 * through {@link Kernel#warn} and tracking goes on as if the acquisition or release had been
 * valid (the kernel prints the first report only, because it switches {@code debug_locks} off
 * and stops tracking); there is no chain cache (the kernel validates a chain of classes once and
 * then trusts it), no irq contexts, no read locks, no subclasses and no lock-usage (irq safety)
 * checks; a wait type is a property of the {@link LockClass}, as lockdep's class records it.
 */
public final class Lockdep {
  /** enum lockdep_wait_type: which contexts a lock may be taken in (INV: not checked). */
  public enum WaitType {
    /** LD_WAIT_INV: not checked (acquire contexts, plain lockdep_init_map). */
    INV,
    /** LD_WAIT_FREE: wait-free (RCU). */
    FREE,
    /** LD_WAIT_SPIN: spinning (raw_spinlock_t). */
    SPIN,
    /** LD_WAIT_CONFIG: spinlock_t (LD_WAIT_SPIN unless CONFIG_PROVE_RAW_LOCK_NESTING). */
    CONFIG,
    /** LD_WAIT_SLEEP: sleeping locks (mutex, ww_mutex). */
    SLEEP;

    /** The value the kernel compares; CONFIG counts as SPIN (no PROVE_RAW_LOCK_NESTING). */
    int level() {
      return this == CONFIG ? SPIN.ordinal() : ordinal();
    }
  }

  /** A lock class: struct lock_class_key with its name and wait type. Identity is the key. */
  public static final class LockClass {
    private final String name;
    private final WaitType waitType;

    /**
     * @param name     the class name lockdep prints, e.g. {@code "reservation_ww_class_mutex"}
     * @param waitType its wait type
     */
    public LockClass(String name, WaitType waitType) {
      this.name = name;
      this.waitType = waitType;
    }

    /** The class name. */
    public String name() {
      return name;
    }

    /** The class's wait type. */
    public WaitType waitType() {
      return waitType;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A struct lockdep_map: one lock instance as lockdep sees it. Identity is the instance. */
  public static final class Map {
    private final LockClass lockClass;
    private final String name;

    /**
     * @param lockClass the class the lock belongs to
     * @param name      the instance name used in reports
     */
    public Map(LockClass lockClass, String name) {
      this.lockClass = lockClass;
      this.name = name;
    }

    /** The lock's class. */
    public LockClass lockClass() {
      return lockClass;
    }

    @Override
    public String toString() {
      return name + " (" + lockClass.name + ")";
    }
  }

  /** A struct held_lock. */
  private static final class Held {
    final Map instance;
    final boolean trylock;
    final Map nestLock;
    int references;

    Held(Map instance, boolean trylock, Map nestLock, int references) {
      this.instance = instance;
      this.trylock = trylock;
      this.nestLock = nestLock;
      this.references = references;
    }
  }

  private final Kernel kernel;
  /** current->held_locks, per task. */
  private final ThreadLocal<ArrayList<Held>> heldLocks = ThreadLocal.withInitial(ArrayList::new);
  /** The dependency graph: class -&gt; classes taken while holding it; guarded by itself. */
  private final java.util.Map<LockClass, Set<LockClass>> after = new HashMap<>();

  private Lockdep(Kernel kernel) {
    this.kernel = kernel;
  }

  /** The lockdep state of {@code kernel}, created on first use. */
  public static Lockdep of(Kernel kernel) {
    return kernel.subsystem(Lockdep.class, Lockdep::new);
  }

  /**
   * lock_acquire(lock, 0, trylock, 0, 1, nest_lock, ip) for the calling task; reports (as
   * WARNs of {@code function}) what lockdep would report and then records the lock as held.
   *
   * @param function the kernel function acquiring, e.g. {@code "ww_mutex_lock"}
   * @param lock     the lock
   * @param trylock  whether this is a successful trylock (no ordering checks)
   * @param nestLock the nest_lock, or null
   */
  public void acquire(String function, Map lock, boolean trylock, Map nestLock) {
    acquire(function, heldLocks.get(), lock, trylock, nestLock, 0);
  }

  private void acquire(String function, ArrayList<Held> held, Map lock, boolean trylock, Map nestLock,
      int references) {
    int depth = held.size();
    if (depth > 0) {
      Held top = held.get(depth - 1);
      if (top.instance.lockClass == lock.lockClass && nestLock != null) {
        int refs = references == 0 ? 1 : references;
        if (top.references == 0) {
          top.references++;
        }
        top.references += refs;
        return;
      }
    }
    // check_wait_context and validate_chain are CONFIG_PROVE_LOCKING (lockdep.c)
    boolean prove = kernel.build().proveLocking();
    if (prove) {
      checkWaitContext(function, held, lock, trylock);
    }
    if (nestLock != null && !isHeld(held, nestLock)) {
      report(function, "WARNING: Nested lock was not taken: " + lock + " with nest_lock " + nestLock);
    }
    if (!trylock && prove) {
      int ret = checkDeadlock(function, held, lock, nestLock);
      if (ret == 1 && depth > 0) {
        checkPrevsAdd(function, held, lock);
      }
    }
    held.add(new Held(lock, trylock, nestLock, references));
  }

  /** check_wait_context: a lock may not be taken inside a lock of a smaller wait type. */
  private void checkWaitContext(String function, List<Held> held, Map next, boolean trylock) {
    WaitType nextType = next.lockClass.waitType;
    if (nextType == WaitType.INV || trylock) {
      return;
    }
    int currInner = Integer.MAX_VALUE; // task context: LD_WAIT_MAX
    Held innermost = null;
    for (Held h : held) {
      WaitType t = h.instance.lockClass.waitType;
      if (t != WaitType.INV && t.level() < currInner) {
        currInner = t.level();
        innermost = h;
      }
    }
    if (nextType.level() > currInner) {
      report(function, "BUG: Invalid wait context: " + next + " (" + nextType + ") taken while holding "
          + innermost.instance + " (" + innermost.instance.lockClass.waitType + ")");
    }
  }

  /**
   * check_deadlock: 0 after a report, 2 if a lock of the same class is held under a held
   * nest_lock, 1 otherwise.
   */
  private int checkDeadlock(String function, List<Held> held, Map next, Map nestLock) {
    boolean nest = false;
    for (Held prev : held) {
      if (nestLock != null && prev.instance == nestLock) {
        nest = true;
      }
      if (prev.instance.lockClass != next.lockClass) {
        continue;
      }
      if (nest) {
        return 2;
      }
      report(function, "WARNING: possible recursive locking detected: " + next + " while holding "
          + prev.instance);
      return 0;
    }
    return 1;
  }

  /** check_prevs_add: prev -&gt; next for the held locks down to the first non-trylock. */
  private void checkPrevsAdd(String function, List<Held> held, Map next) {
    for (int i = held.size() - 1; i >= 0; i--) {
      Held prev = held.get(i);
      checkPrevAdd(function, prev.instance.lockClass, next);
      if (!prev.trylock) {
        break;
      }
    }
  }

  /** check_prev_add with check_noncircular: would prev -&gt; next close a cycle? */
  private void checkPrevAdd(String function, LockClass prev, Map next) {
    String cycle = null;
    synchronized (after) {
      Set<LockClass> succ = after.get(prev);
      if (succ != null && succ.contains(next.lockClass)) {
        return;
      }
      if (reaches(next.lockClass, prev)) {
        cycle = "WARNING: possible circular locking dependency detected: " + next + " taken while holding "
            + prev + ", but " + prev + " was taken while holding " + next.lockClass + " before";
      } else {
        after.computeIfAbsent(prev, c -> new HashSet<>()).add(next.lockClass);
      }
    }
    if (cycle != null) {
      report(function, cycle);
    }
  }

  /** Breadth-first search of the dependency graph; the caller holds {@code after}. */
  private boolean reaches(LockClass from, LockClass to) {
    ArrayDeque<LockClass> queue = new ArrayDeque<>();
    Set<LockClass> seen = new HashSet<>();
    queue.add(from);
    seen.add(from);
    while (!queue.isEmpty()) {
      LockClass c = queue.poll();
      if (c == to) {
        return true;
      }
      for (LockClass s : after.getOrDefault(c, Set.of())) {
        if (seen.add(s)) {
          queue.add(s);
        }
      }
    }
    return false;
  }

  /**
   * lock_release(lock, ip) for the calling task: reports "bad unlock balance" when the task
   * does not hold it; a lock merged into a held lock with references drops one reference.
   *
   * @param function the kernel function releasing, e.g. {@code "ww_mutex_unlock"}
   * @param lock     the lock
   */
  public void release(String function, Map lock) {
    ArrayList<Held> held = heldLocks.get();
    int i = findHeld(held, lock);
    if (i < 0) {
      report(function, "WARNING: bad unlock balance detected! " + lock + " is not held by "
          + Thread.currentThread().getName());
      return;
    }
    Held h = held.get(i);
    if (h.references > 0) {
      h.references--;
      if (h.references > 0) {
        return;
      }
    }
    // Remove it and re-acquire the locks above it (reacquire_held_locks).
    List<Held> above = new ArrayList<>(held.subList(i + 1, held.size()));
    while (held.size() > i) {
      held.remove(held.size() - 1);
    }
    for (Held a : above) {
      acquire(function, held, a.instance, a.trylock, a.nestLock, a.references);
    }
  }

  /** find_held_lock with match_held_lock: from the top down; -1 if not held. */
  private static int findHeld(List<Held> held, Map lock) {
    for (int i = held.size() - 1; i >= 0; i--) {
      Held h = held.get(i);
      if (h.instance == lock || (h.references > 0 && h.instance.lockClass == lock.lockClass)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isHeld(List<Held> held, Map lock) {
    return findHeld(held, lock) >= 0;
  }

  /** lock_is_held(lock) (lockdep_is_held): whether the calling task holds {@code lock}. */
  public boolean isHeld(Map lock) {
    return isHeld(heldLocks.get(), lock);
  }

  /**
   * lockdep_assert_held(lock): WARN_ON(!lockdep_is_held(lock)) for the calling task.
   *
   * @return whether the lock is held
   */
  public boolean assertHeld(String function, Map lock) {
    boolean held = isHeld(lock);
    if (!held) {
      kernel.warn(function, "lockdep_assert_held(" + lock + ")", lock);
    }
    return held;
  }

  /** A debugging view: the calling task's held locks, bottom first, with references. */
  public List<String> heldLocks() {
    List<String> out = new ArrayList<>();
    for (Held h : heldLocks.get()) {
      out.add(h.instance + (h.trylock ? " [trylock]" : "") + (h.references > 0 ? " refs=" + h.references : ""));
    }
    return out;
  }

  private void report(String function, String message) {
    kernel.warn(function, message, null);
  }
}
