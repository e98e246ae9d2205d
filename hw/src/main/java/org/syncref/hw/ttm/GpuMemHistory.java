package org.syncref.hw.ttm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.syncref.fence.DmaFence;
import org.syncref.hw.sched.DrmSchedFence;
import org.syncref.hw.sched.DrmSchedJob;

/**
 * The memory system's history and its three checks, as spec/GpuMem/GpuMem.tla defines them: what
 * each job may touch ({@code jobBinds}: the object, range and tenure it was given when armed),
 * the KERNEL fences pending on its objects then ({@code jobKernel}), and every access the
 * engines made ({@code accesses}). The checks run when a job executes on its engine (TLA+
 * {@code RunJob}) and when a range is freed; a failed check is recorded as a {@link Violation}
 * (nothing throws, so a test sees the whole run).
 *
 * <ul>
 *   <li>MEM-NO-STALE-ACCESS ({@code NoStaleAccess}): when a job runs, no access to one of its
 *       ranges has a tenure later than the job's: the accesses to a range come in tenure
 *       order.</li>
 *   <li>MEM-KERNEL-FIRST ({@code KernelFirst}): when a job runs, the KERNEL fences pending on its
 *       objects when it was armed have signaled.</li>
 *   <li>MEM-RW-ORDERED ({@code RwOrdered}): when a job runs, every armed job that has not run,
 *       touches one of its objects, and conflicts with it (one of the two writes; a TTM move
 *       writes) is ordered after it, unless one of the two opted out of implicit sync
 *       (explicit) and neither is a move.</li>
 *   <li>MEM-FREE-UNREACHABLE ({@code FreeUnreachable}): when a range is freed, every job given
 *       it in its current tenure whose finished fence has not signaled is, or is ordered
 *       before, a fence the range's manager records ({@code OrderedBefore}: a scheduler
 *       dependency, or an earlier fence of the same context, transitively).</li>
 * </ul>
 */
public final class GpuMemHistory {
  /** What a job may touch: TLA+ {@code Bind}. */
  public record Bind(TtmBufferObject bo, TtmRange range, long tenure) {
    @Override
    public String toString() {
      return bo.name() + ":" + range + "@" + tenure;
    }
  }

  /** One job's access to one range: TLA+ {@code Access}. */
  public record Access(DrmSchedJob job, TtmBufferObject bo, TtmRange range, long tenure) {
    @Override
    public String toString() {
      return job.name() + "->" + bo.name() + ":" + range + "@" + tenure;
    }
  }

  /** A failed check: the rule ID and what happened. */
  public record Violation(String rule, String message) {
    @Override
    public String toString() {
      return "[" + rule + "] " + message;
    }
  }

  private final Map<DrmSchedJob, List<Bind>> binds = new LinkedHashMap<>();
  private final Map<DrmSchedJob, List<DmaFence>> kernelAtArm = new LinkedHashMap<>();
  /** TLA+ {@code jobMode}: a {@link SubmitMode}'s name in lower case, or "kernel" for a move. */
  private final Map<DrmSchedJob, String> modes = new LinkedHashMap<>();
  private final Set<DrmSchedJob> ran = new HashSet<>();
  private final List<Access> accesses = new ArrayList<>();
  private final List<Violation> violations = new ArrayList<>();
  private final List<String> events = new ArrayList<>();

  /**
   * Registers an armed job: what it touches and the KERNEL fences pending on its objects (TLA+
   * {@code SubmitArm}, {@code EvictArm}, {@code MoveInArm}); its accesses are recorded when its
   * engine executes it.
   */
  synchronized void jobArmed(String action, DrmSchedJob job, String mode, List<Bind> b,
      List<DmaFence> pendingKernel) {
    binds.put(job, List.copyOf(b));
    modes.put(job, mode);
    kernelAtArm.put(job, List.copyOf(pendingKernel));
    events.add(action + "(" + job.name() + ") binds " + b + " deps " + names(job.dependencies()));
    job.onHardwareRun(() -> ran(job));
  }

  /** TLA+ {@code RunJob(f)}: the checks on the step, then the access events. */
  synchronized void ran(DrmSchedJob job) {
    List<Bind> bs = binds.get(job);
    for (Bind b : bs) {
      for (Access a : accesses) {
        if (a.range().equals(b.range()) && a.tenure() > b.tenure()) {
          violations.add(new Violation("MEM-NO-STALE-ACCESS", job.name() + " touches " + b
              + " after " + a + " (tenure " + a.tenure() + " > " + b.tenure() + ")"));
        }
      }
    }
    for (DmaFence k : kernelAtArm.get(job)) {
      if (!k.isSignaled()) {
        violations.add(new Violation("MEM-KERNEL-FIRST", job.name() + " runs before KERNEL fence "
            + nameOf(k) + " pending on its objects when it was armed"));
      }
    }
    for (DrmSchedJob j : binds.keySet()) {
      if (j != job && !ran.contains(j) && !j.finished().isSignaled() && sameObject(j, job)
          && conflict(j, job) && !optedOut(j, job)
          && !orderedBefore(job.finished(), j.finished(), new HashSet<>())) {
        violations.add(new Violation("MEM-RW-ORDERED", job.name() + " (" + modes.get(job)
            + ") runs while " + j.name() + " (" + modes.get(j)
            + ") on the same object is not ordered after it"));
      }
    }
    ran.add(job);
    for (Bind b : bs) {
      accesses.add(new Access(job, b.bo(), b.range(), b.tenure()));
    }
    events.add("RunJob(" + job.name() + ") touches " + bs);
  }

  /** TLA+ {@code Writers}: "write", "kernel" (a TTM move) and amdgpu's modes (fence added as WRITE). */
  private boolean writes(DrmSchedJob j) {
    String m = modes.get(j);
    return m.equals("write") || m.equals("kernel") || m.equals("amdgpu") || m.equals("amdgpu_explicit");
  }

  /** TLA+ {@code Conflict(j, f)}: one of the two writes. */
  private boolean conflict(DrmSchedJob j, DrmSchedJob f) {
    return writes(j) || writes(f);
  }

  /**
   * TLA+ {@code OptedOut(j, f)}: one of the two is explicit (or amdgpu's explicit-sync BO), and
   * neither is a move.
   */
  private boolean optedOut(DrmSchedJob j, DrmSchedJob f) {
    String a = modes.get(j);
    String b = modes.get(f);
    boolean explicit = a.equals("explicit") || b.equals("explicit") || a.equals("amdgpu_explicit")
        || b.equals("amdgpu_explicit");
    return explicit && !a.equals("kernel") && !b.equals("kernel");
  }

  /** TLA+ {@code SameObject(j, f)}: the two touch a common object. */
  private boolean sameObject(DrmSchedJob j, DrmSchedJob f) {
    for (Bind x : binds.get(j)) {
      for (Bind y : binds.get(f)) {
        if (x.bo() == y.bo()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Checks MEM-FREE-UNREACHABLE for the free of {@code res} by {@code man} in TLA+ action
   * {@code action}, whose recorded fences are those after the step (TLA+ {@code manFences'}).
   */
  synchronized void freeing(String action, TtmResource res, TtmResourceManager man) {
    List<DmaFence> recorded = man.evictionFences();
    for (Map.Entry<DrmSchedJob, List<Bind>> e : binds.entrySet()) {
      DrmSchedJob j = e.getKey();
      if (j.finished().isSignaled()) {
        continue;
      }
      boolean reaches = false;
      for (Bind b : e.getValue()) {
        reaches |= b.range().equals(res.range()) && b.tenure() == res.tenure();
      }
      if (!reaches) {
        continue;
      }
      boolean covered = false;
      for (DmaFence m : recorded) {
        covered |= m == j.finished() || orderedBefore(j.finished(), m, new HashSet<>());
      }
      if (!covered) {
        violations.add(new Violation("MEM-FREE-UNREACHABLE", res + " (" + res.bo().name()
            + ") freed while unfinished " + j.name() + " can reach it and is ordered before no fence "
            + man + " records " + names(recorded)));
      }
    }
    events.add(action + " frees " + res + " of " + res.bo().name() + ", " + man + " records "
        + names(recorded));
  }

  /**
   * TLA+ {@code OrderedBefore(j, m)}: j is a dependency of m's job, or an earlier fence of m's
   * context, or ordered before one of m's job's dependencies.
   */
  static boolean orderedBefore(DmaFence j, DmaFence m, Set<DmaFence> seen) {
    if (j.context() == m.context() && m.isLater(j)) {
      return true;
    }
    DrmSchedFence sf = DrmSchedFence.of(m);
    if (sf == null || !seen.add(m)) {
      return false;
    }
    for (DmaFence d : sf.job().dependencies()) {
      if (d == j || orderedBefore(j, d, seen)) {
        return true;
      }
    }
    return false;
  }

  private static String nameOf(DmaFence f) {
    DrmSchedFence sf = DrmSchedFence.of(f);
    return sf != null ? sf.job().name() : f.toString();
  }

  private static List<String> names(List<DmaFence> fs) {
    List<String> out = new ArrayList<>();
    for (DmaFence f : fs) {
      out.add(nameOf(f));
    }
    return out;
  }

  /** Every access so far, in order (TLA+ {@code accesses}, here a sequence). */
  public synchronized List<Access> accesses() {
    return List.copyOf(accesses);
  }

  /** Every failed check so far, in order. */
  public synchronized List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** The failed checks of rule {@code rule}. */
  public synchronized List<Violation> violations(String rule) {
    return violations.stream().filter(v -> v.rule().equals(rule)).toList();
  }

  /** What the job may touch, as registered when it was armed (empty if not registered). */
  public synchronized List<Bind> binds(DrmSchedJob job) {
    return binds.getOrDefault(job, List.of());
  }

  /** The jobs registered so far (armed by a submission or a move), in arm order. */
  public synchronized List<DrmSchedJob> jobs() {
    return List.copyOf(binds.keySet());
  }

  /** TLA+ {@code jobMode[f]}: "read", "write", "explicit", or "kernel" for a move; null if unknown. */
  public synchronized String mode(DrmSchedJob job) {
    return modes.get(job);
  }

  /** TLA+ {@code jobKernel[f]}: the KERNEL fences pending on the job's objects when it was armed. */
  public synchronized List<DmaFence> kernelAtArm(DrmSchedJob job) {
    return kernelAtArm.getOrDefault(job, List.of());
  }

  /**
   * The steps that change the memory history, each named by its TLA+ action: "SubmitArm(j)",
   * "EvictArm(j)", "MoveInArm(j)" with the job's binds and dependencies, "RunJob(j)" with what
   * it touches, "EvictAdd" and "GhostFree" with the range freed and the manager's fences.
   */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }
}
