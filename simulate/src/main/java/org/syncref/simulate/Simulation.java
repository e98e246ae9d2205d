package org.syncref.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.ttm.GpuFaults;
import org.syncref.hw.ttm.GpuMemHistory;
import org.syncref.hw.ttm.GpuMemSystem;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.TtmBufferObject;
import org.syncref.hw.ttm.TtmDevice;
import org.syncref.hw.ttm.TtmMemType;
import org.syncref.kernel.Warning;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;

/**
 * Workloads on hw's {@link GpuMemSystem}, one new system per workload (so that nothing grows
 * across workloads: a soak keeps only the running totals), a random enabled step at a time
 * ({@link GpuMemSystem#enabledSteps}, plus a contended validation, see {@link #contended}),
 * every step checked by {@link StepCheck}s. Deterministic: workload {@code i} is
 * {@code java.util.Random(seed + i)}.
 */
public final class Simulation {
  /**
   * What to run: the sizes of a workload and which bugs its kernel has; {@code specSteps}: only
   * the steps spec/GpuMem/GpuMem.tla models, hangs and timeouts, and contended validations (see {@link
   * SpecCheck}): no two-object submissions, no moves out of VRAM.
   */
  public record Params(int objects, int vram, int system, int maxJobs, int maxSteps, int timeoutPercent,
      boolean contention, long seed, List<HwBug> bugs, boolean specSteps) {
    /** Every step hw offers. */
    public Params(int objects, int vram, int system, int maxJobs, int maxSteps, int timeoutPercent,
        boolean contention, long seed, List<HwBug> bugs) {
      this(objects, vram, system, maxJobs, maxSteps, timeoutPercent, contention, seed, bugs, false);
    }
  }

  /** One step taken: its number in the workload (from 1), name, the kernel calls and history events it made. */
  public record StepRecord(int index, String name, List<String> calls, List<String> events) {}

  /** A job's life in a workload, by step number (0: not reached): for the timeline. */
  public static final class JobLife {
    public final String name;
    public final String sched;
    public int armed;
    public int running;
    public int done;
    public int result;

    JobLife(String name, String sched) {
      this.name = name;
      this.sched = sched;
    }
  }

  /** A failed check: the rule (or "WARN"), its message, and the step it failed at. */
  public record Problem(String rule, String message, int step) {
    @Override
    public String toString() {
      return "[" + rule + "] " + message;
    }
  }

  /**
   * A check run after every step: returns the problems the step made. {@link JavaChecks} asks
   * hw's own checks (GpuMemHistory's rules, the kernel's WARNs); {@link SpecCheck} checks the
   * step against spec/GpuMem/GpuMem.tla through TLC's evaluator (see {@link
   * Simulation#Simulation(Params, List)}).
   */
  public interface StepCheck {
    /** Called when the workload's system is made, before its objects are placed. */
    void start(GpuMemSystem sys);

    /** Called when the objects are placed, before the first step: the problems of that state. */
    default List<Problem> placed(GpuMemSystem sys) {
      return List.of();
    }

    /** Called when the workload ends (drained, or stopped by a problem). */
    default void finish() {}

    /**
     * Every outermost kernel call of the workload's steps, as {@link org.syncref.kernel.Kernel.CallListener}
     * reports it (the system has one listener, the simulation's, which forwards here): what a
     * trace checker replays on the spec.
     */
    default void called(String function, Object subject, Object[] args, Object result) {}

    /** The problems step {@code r} made. */
    List<Problem> after(GpuMemSystem sys, StepRecord r);
  }

  /** hw's checks: new {@link GpuMemHistory.Violation}s and new kernel WARNs (MEM-EVICT-TICKET). */
  public static final class JavaChecks implements StepCheck {
    private int violations;
    private int warnings;

    @Override
    public void start(GpuMemSystem sys) {
      violations = 0;
      warnings = 0;
    }

    @Override
    public List<Problem> after(GpuMemSystem sys, StepRecord r) {
      List<Problem> out = new ArrayList<>();
      List<GpuMemHistory.Violation> v = sys.violations();
      for (int i = violations; i < v.size(); i++) {
        out.add(new Problem(v.get(i).rule(), v.get(i).message(), r.index()));
      }
      violations = v.size();
      List<Warning> w = sys.k.warnings();
      for (int i = warnings; i < w.size(); i++) {
        String msg = w.get(i).toString();
        for (TtmBufferObject bo : sys.objects()) {
          msg = msg.replace(String.valueOf(bo.resv()), bo.name() + ".resv"); // a name, not an identity hash
        }
        out.add(new Problem("WARN", msg, r.index()));
      }
      warnings = w.size();
      return out;
    }
  }

  /** Running totals over workloads. */
  public static final class Totals {
    public long workloads;
    public long jobs;
    public long copies;
    public long signalled;
    public long signalledWithError;
    public long evictions;
    public long moves;
    public long ghostsFreed;
    public long enospc;
    public long contended;
    public long backoffs;
    public long timeouts;
    /** Engines hung on their oldest job (Hang steps, TLA+ HangJob), each later reset by a timeout. */
    public long hangs;
    public long cancelled;
    public long steps;
    public long violations;
    /** Violations by rule (hw's rule IDs, "WARN", "spec " + GpuMem's rule IDs). */
    public final Map<String, Long> byRule = new java.util.TreeMap<>();
  }

  /** One workload's outcome: its steps, jobs and problems (kept only for the workload shown). */
  public record Workload(long seed, List<StepRecord> steps, Map<String, JobLife> jobs, List<Problem> problems,
      List<String> objects) {}

  private final Params p;
  private final List<StepCheck> checks;
  public final Totals totals = new Totals();
  /** --faults: the percentage of steps that are faults ({@link GpuFaults}); 0: none. */
  private int faultPercent;
  /**
   * Per kind, the faults injected and the jobs they ended, over the workloads (--faults). In the
   * workloads of odd seeds the second object is discardable (its eviction drops it).
   */
  public final Map<String, Long> faultTotals = new java.util.TreeMap<>();

  /**
   * Makes {@code percent} of the steps faults of {@link GpuFaults} (hangs and resets, killed
   * clients, interrupted submissions, allocation and move failures, callbacks, the unload; not
   * its CPU waiter threads, which would call the kernel outside the step); each workload then
   * drains with the faults' timeouts and kill works and is checked by {@link
   * GpuFaults#nothingLost} (rule NOTHING-LOST).
   */
  public Simulation faults(int percent) {
    this.faultPercent = percent;
    return this;
  }

  /** A simulation checked by hw's Java checks. */
  public Simulation(Params p) {
    this(p, List.of(new JavaChecks()));
  }

  /**
   * A simulation checked by {@code checks} after every step: {@link JavaChecks}, {@link
   * SpecCheck}, both, or none (a baseline).
   */
  public Simulation(Params p, List<StepCheck> checks) {
    this(p, checks, "generic");
  }

  /** As {@link #Simulation(Params, List)}, the system's driver policy {@code driver} (DriverPolicy.of). */
  public Simulation(Params p, List<StepCheck> checks, String driver) {
    this.p = p;
    this.checks = checks;
    this.driver = driver;
  }

  private final String driver;

  /** Runs workload number {@code i}; adds to {@link #totals}; returns its record. */
  public Workload run(long i) {
    long seed = p.seed() + i;
    Random rnd = new Random(seed);
    GpuMemSystem sys = new GpuMemSystem(org.syncref.hw.ttm.DriverPolicy.of(driver), p.vram(), p.system(),
        p.bugs().toArray(new HwBug[0]));
    List<String> calls = new ArrayList<>();
    sys.k.setCallListener((fn, subject, args, result) -> {
      calls.add(result instanceof Integer r && r != 0 ? fn + " = " + r : fn);
      if (fn.equals("ttm_bo_validate") && result instanceof Integer r && r < 0) {
        totals.enospc++;
      }
      if (fn.equals("drm_sched_job_timedout") && result instanceof Integer r) {
        totals.cancelled += r;
      }
      for (StepCheck c : checks) {
        c.called(fn, subject, args, result);
      }
    });
    for (StepCheck c : checks) {
      c.start(sys); // before the objects are placed: a trace checker sees their first validation
    }
    List<String> objects = new ArrayList<>();
    for (int o = 0; o < p.objects(); o++) {
      TtmMemType where = o < p.vram() ? TtmMemType.VRAM : TtmMemType.SYSTEM;
      sys.bo("b" + (o + 1), where);
      objects.add("b" + (o + 1) + " in " + where);
    }
    calls.clear();
    GpuFaults faults = faultPercent > 0 ? new GpuFaults(sys) : null;
    if (faults != null && p.objects() >= 2 && (seed & 1) == 1) {
      sys.dev.markDiscardable(sys.objects().get(1)); // its eviction drops it: ttm_bo_pipeline_gutting
    }
    boolean[] drained = {false};
    boolean timeouts = rnd.nextInt(100) < p.timeoutPercent();
    List<StepRecord> steps = new ArrayList<>();
    Map<String, JobLife> jobs = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (StepCheck c : checks) {
      problems.addAll(c.placed(sys));
    }
    int eventsSeen = sys.dev.history().events().size();
    for (int n = 1; problems.isEmpty(); n++) {
      List<GpuMemSystem.Step> enabled = new ArrayList<>();
      if (faults != null) {
        faultSteps(faults, enabled, n, rnd, drained, sys);
      } else if (n <= p.maxSteps()) {
        enabled.addAll(hangThenTimeout(sys, sys.enabledSteps(p.maxJobs(), false), timeouts));
        if (p.contention() && armed(sys) < p.maxJobs()) {
          enabled.addAll(contended(sys));
        }
      } else {
        // the step budget is spent: let the GPU and the delayed delete finish (no new work; a
        // hung engine's timeout fires)
        enabled.addAll(hangThenTimeout(sys, sys.enabledSteps(0, false), false));
      }
      if (p.specSteps()) {
        enabled.removeIf(s -> s.name().startsWith("Submit(") && s.name().contains("+")
            || s.name().startsWith("Move(") && s.name().endsWith(", SYSTEM)"));
      }
      if (enabled.isEmpty()) {
        break;
      }
      GpuMemSystem.Step s = enabled.get(rnd.nextInt(enabled.size()));
      calls.clear();
      try {
        s.effect().run();
      } catch (RuntimeException e) {
        if (faults == null) {
          throw e;
        }
        // a kernel BUG or oops on a fault path (KernelBug, ModuleUnloadedOops, UseAfterFreeBug)
        problems.add(new Problem("BUG", e.getClass().getSimpleName() + ": " + e.getMessage(), n));
      }
      List<String> ev = sys.dev.history().events();
      List<String> newEvents = List.copyOf(ev.subList(eventsSeen, ev.size()));
      eventsSeen = ev.size();
      StepRecord r = new StepRecord(n, s.name(), dedup(calls), newEvents);
      steps.add(r);
      count(s.name(), newEvents);
      track(sys, jobs, n);
      for (StepCheck c : checks) {
        problems.addAll(c.after(sys, r));
      }
    }
    if (faults != null && problems.isEmpty()) {
      for (String f : faults.nothingLost(2000)) {
        problems.add(new Problem("NOTHING-LOST", f, steps.size()));
      }
      faults.counts().forEach((k, v) -> faultTotals.merge(k, (long) v, Long::sum));
      long dropped = sys.dev.history().events().stream().filter(e -> e.startsWith("ttm_bo_pipeline_gutting frees")).count();
      faultTotals.merge("evictions without placement (dropped)", dropped, Long::sum);
    }
    for (JobLife j : jobs.values()) {
      if (j.done > 0) {
        totals.signalled++;
        totals.signalledWithError += j.result < 0 ? 1 : 0;
      }
      if (j.sched.equals("sdma0")) {
        totals.copies++;
      } else {
        totals.jobs++;
      }
    }
    for (StepCheck c : checks) {
      c.finish();
    }
    totals.workloads++;
    totals.violations += problems.size();
    for (Problem pr : problems) {
      totals.byRule.merge(pr.rule(), 1L, Long::sum);
    }
    sys.k.setCallListener(null);
    return new Workload(seed, steps, jobs, problems, objects);
  }

  /**
   * The steps of a fault workload (--faults): a fault step in faultPercent of the steps (if one
   * is possible), else a normal one (and the contended validations); once the budget is spent or
   * the driver unloaded, one drain ({@link GpuFaults#drain}), then nothing.
   */
  private void faultSteps(GpuFaults faults, List<GpuMemSystem.Step> enabled, int n, Random rnd, boolean[] drained,
      GpuMemSystem sys) {
    if (n > p.maxSteps() || faults.unloaded()) {
      if (!drained[0]) {
        enabled.add(new GpuMemSystem.Step("Drain (timeouts of hung engines, kill works)", () -> {
          drained[0] = true;
          faults.drain();
        }));
      }
      return;
    }
    if (rnd.nextInt(100) < faultPercent) {
      for (GpuMemSystem.Step s : faults.faultSteps(p.maxJobs())) {
        if (!s.name().startsWith("Wait(") && !s.name().startsWith("WaitResv(")) {
          enabled.add(s);
        }
      }
    }
    if (enabled.isEmpty()) {
      enabled.addAll(faults.normalSteps(p.maxJobs()));
      if (p.contention() && armed(sys) < p.maxJobs()) {
        enabled.addAll(contended(sys));
      }
    }
    if (enabled.isEmpty() && !drained[0]) {
      enabled.add(new GpuMemSystem.Step("Drain (timeouts of hung engines, kill works)", () -> {
        drained[0] = true;
        faults.drain();
      }));
    }
  }

  /**
   * A workload's timeouts as the spec's GpuResetNext has them: {@code steps} (hw's steps without
   * its timeouts) less the completions of hung engines (a hung engine completes nothing), plus,
   * where {@code hangs}, a hang of each busy engine that has not hung ({@code Hang(e)}: {@link
   * org.syncref.hw.Engine#hang}, TLA+ HangJob of its oldest job), and the timeout of each hung
   * engine's scheduler ({@code Timeout(s)}: {@link DrmGpuScheduler#timedOut}, TLA+ ResetStop,
   * ResetCancel, ResetSetError, ResetSignal), also once the step budget is spent. hw's timeout of
   * an engine that has not hung (its pending jobs cancelled without having run) is not offered:
   * the spec has no such step (ResetStop takes a hung job).
   */
  static List<GpuMemSystem.Step> hangThenTimeout(GpuMemSystem sys, List<GpuMemSystem.Step> steps, boolean hangs) {
    List<GpuMemSystem.Step> out = new ArrayList<>();
    for (GpuMemSystem.Step s : steps) {
      boolean hungCompletion = false;
      for (org.syncref.hw.Engine e : sys.engines()) {
        hungCompletion |= e.hungJob() != null && s.name().equals("Complete(" + e.name() + ")");
      }
      if (!hungCompletion) {
        out.add(s);
      }
    }
    for (DrmGpuScheduler s : sys.schedulers()) {
      org.syncref.hw.Engine e = s.engine();
      if (e.hungJob() != null) {
        out.add(new GpuMemSystem.Step("Timeout(" + s.name() + ")", s::timedOut));
      } else if (hangs && !e.pending().isEmpty()) {
        out.add(new GpuMemSystem.Step("Hang(" + e.name() + ")", e::hang));
      }
    }
    return out;
  }

  private static int armed(GpuMemSystem sys) {
    int n = 0;
    for (DrmGpuScheduler s : sys.schedulers()) {
      n += s.armedJobs().size();
    }
    return n;
  }

  private void count(String step, List<String> events) {
    totals.steps++;
    totals.timeouts += step.startsWith("Timeout(") ? 1 : 0;
    totals.hangs += step.startsWith("Hang(") ? 1 : 0;
    for (String e : events) {
      totals.evictions += e.startsWith("EvictArm(") ? 1 : 0;
      totals.moves += e.startsWith("MoveInArm(") ? 1 : 0;
      totals.ghostsFreed += e.startsWith("GhostFree") ? 1 : 0;
    }
  }

  private static void track(GpuMemSystem sys, Map<String, JobLife> jobs, int n) {
    for (DrmGpuScheduler s : sys.schedulers()) {
      for (DrmSchedJob j : s.armedJobs()) {
        JobLife l = jobs.computeIfAbsent(j.name(), k -> new JobLife(j.name(), s.name()));
        if (l.armed == 0) {
          l.armed = n;
        }
        DrmSchedJob.State st = j.state();
        if (l.running == 0 && (st == DrmSchedJob.State.RUNNING || st == DrmSchedJob.State.DONE)) {
          l.running = n;
        }
        if (l.done == 0 && j.finished().isSignaledFlag()) { // the flag: no ops call (a fault may have unloaded them)
          l.done = n;
          l.result = j.result();
        }
      }
    }
  }

  private static List<String> dedup(List<String> calls) {
    List<String> out = new ArrayList<>();
    for (String c : calls) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The contended validations possible now: a SYSTEM object validated into VRAM under a ww
   * ticket while a rival thread holds a VRAM object, or every VRAM object, under an older one
   * (two processes' drm_exec transactions). The eviction walk's trylock pass skips the rival's
   * objects; with an object left to trylock, it is evicted; else the ticketlock gets -EDEADLK
   * (Wait-Die) and ends the walk with -ENOSPC (ttm_lru_walk_ticketlock). The only way a
   * single-stepped workload exercises MEM-EVICT-TICKET.
   */
  private List<GpuMemSystem.Step> contended(GpuMemSystem sys) {
    List<GpuMemSystem.Step> out = new ArrayList<>();
    List<TtmBufferObject> inVram = new ArrayList<>();
    for (TtmBufferObject bo : sys.objects()) {
      if (bo.resource() != null && bo.resource().range().memType() == TtmMemType.VRAM) {
        inVram.add(bo);
      }
    }
    for (TtmBufferObject mover : sys.objects()) {
      if (mover.resource() == null || mover.resource().range().memType() != TtmMemType.SYSTEM) {
        continue;
      }
      for (TtmBufferObject held : inVram) {
        out.add(new GpuMemSystem.Step("ContendedMove(" + mover.name() + ", VRAM; rival holds " + held.name() + ")",
            () -> contendedMove(sys, mover, List.of(held))));
      }
      if (inVram.size() > 1) {
        List<TtmBufferObject> all = List.copyOf(inVram);
        List<String> names = new ArrayList<>();
        all.forEach(b -> names.add(b.name()));
        out.add(new GpuMemSystem.Step("ContendedMove(" + mover.name() + ", VRAM; rival holds "
            + String.join("+", names) + ")", () -> contendedMove(sys, mover, all)));
      }
    }
    return out;
  }

  private void contendedMove(GpuMemSystem sys, TtmBufferObject mover, List<TtmBufferObject> held) {
    WwClass cls = WwClass.reservationWwClass(sys.k);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread rival = new Thread(() -> {
      WwAcquireContext older = WwAcquireContext.initNoinject(sys.k, cls);
      for (TtmBufferObject h : held) {
        h.resv().lock(older);
      }
      locked.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (TtmBufferObject h : held) {
        h.resv().unlock();
      }
      older.fini();
    }, "syncref-simulate-rival");
    rival.setDaemon(true);
    rival.start();
    try {
      if (!locked.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the rival thread did not lock " + held);
      }
      WwAcquireContext younger = WwAcquireContext.initNoinject(sys.k, cls);
      int ret = mover.resv().lock(younger);
      if (ret != 0) {
        throw new IllegalStateException("locking " + mover.name() + ": " + ret);
      }
      int v = sys.dev.validate(mover, TtmMemType.VRAM);
      mover.resv().unlock(); // the caller exits the ww transaction
      younger.fini();
      totals.contended++;
      totals.backoffs += v == -TtmDevice.ENOSPC ? 1 : 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      release.countDown();
      try {
        rival.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
