package org.syncref.conformance.gpumem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncref.hw.ttm.HwBug;

/**
 * Negative controls of the per-driver conformance ({@link GpuMemDriverConformanceProperties}):
 * for each driver a bug in what its policy decides is caught both ways (forward: seeded Java
 * workloads checked against the driver's model; backward: seeded spec walks replayed on the
 * buggy Java system), within {@value GpuMemNegativeControlExamples#BUDGET} each, and the
 * workload and walk that caught it pass on mainline, so they fail for the bug alone. The number
 * each took is printed. And the driver choice is not vacuous: amdgpu's Java runs, checked
 * against the generic model's nearest reading of them, are rejected.
 */
class GpuMemDriverNegativeControlExamples {
  static final int BUDGET = GpuMemNegativeControlExamples.BUDGET;

  /** The first seed whose workload {@code c} rejects, printed; asserts it is within the budget. */
  static int caught(String what, GpuMemChecker c, boolean walks, HwBug... bugs) {
    for (int seed = 0; seed < BUDGET; seed++) {
      GpuMemChecker.Verdict v = walks ? c.walk(GpuMemNegativeControlExamples.workload(seed), 40, bugs)
          : c.check(GpuMemNegativeControlExamples.workload(seed), 40, bugs);
      if (!v.ok()) {
        System.out.println("GpuMem driver negative control " + what + ": caught by " + (walks ? "walk " : "workload ")
            + (seed + 1) + " (seed " + seed + "), operation " + v.failedOp() + ": " + v.reason() + "\n  "
            + (walks ? "walk: " : "run: ") + v.log());
        return seed;
      }
    }
    assertTrue(false, what + " passed " + BUDGET + (walks ? " spec walks" : " workloads"));
    return -1;
  }

  /** {@code bug} is caught both ways under {@code driver}; the catching seeds pass on mainline. */
  static void caughtBothWays(String driver, HwBug bug) {
    GpuMemChecker c = GpuMemConformance.checker(driver);
    int run = caught(driver + " " + bug, c, false, bug);
    int walk = caught(driver + " " + bug, c, true, bug);
    GpuMemChecker.Verdict v = c.check(GpuMemNegativeControlExamples.workload(run), 40);
    assertTrue(v.ok(), driver + " mainline, seed " + run + ": " + v.reason());
    v = c.walk(GpuMemNegativeControlExamples.workload(walk), 40);
    assertTrue(v.ok(), driver + " mainline walk, seed " + walk + ": " + v.reason());
  }

  /**
   * GpuMemAmdgpu_skip_moves_bug's counterpart: an explicit-sync BO's job waits for nothing, not
   * even the copy that fills its range (MEM-KERNEL-FIRST).
   */
  @Test
  void amdgpuSkipMovesIsCaughtBothWays() {
    caughtBothWays("amdgpu", HwBug.AMDGPU_SKIP_MOVES);
  }

  /**
   * xe's jobs are all BOOKKEEP: an eviction that waits only for WRITE (GpuMem_evict_waits_write_bug)
   * frees a range an xe job still reaches (MEM-FREE-UNREACHABLE).
   */
  @Test
  void xeEvictWaitsWriteIsCaughtBothWays() {
    caughtBothWays("xe", HwBug.EVICT_WAITS_WRITE);
  }

  /**
   * i915's implicit sync is dma_resv_usage_rw (i915_request_await_object): swapped
   * (GpuMemRW_rw_swapped_bug), a writer does not wait for readers (MEM-RW-ORDERED).
   */
  @Test
  void i915RwSwappedIsCaughtBothWays() {
    caughtBothWays("i915", HwBug.RW_SWAPPED);
  }

  /**
   * The policies differ where the spec says they do: amdgpu's Java runs checked against the
   * generic model, each amdgpu job read as the generic mode nearest to it ("amdgpu" as "write":
   * both add WRITE; "amdgpu_explicit" as "explicit": neither implicitly syncs), leave the
   * generic behaviours: an amdgpu job does not wait for its own process's fences, nor, on an
   * explicit-sync BO, add a BOOKKEEP fence. The disagreement must be in the state (a dependency,
   * a fence's usage seen through a later query), not a submission the generic model lacks.
   */
  @Test
  void amdgpuRunsAreNotGenericRuns() {
    GpuMemChecker c = GpuMemConformance.checker("generic", "amdgpu",
        Map.of("amdgpu", "write", "amdgpu_explicit", "explicit"));
    int seed = caught("amdgpu policy against the generic model", c, false);
    GpuMemChecker.Verdict v = c.check(GpuMemNegativeControlExamples.workload(seed), 40);
    assertTrue(v.reason().contains("agrees with Java") || v.reason().contains("breaks"), v.reason());
  }
}
