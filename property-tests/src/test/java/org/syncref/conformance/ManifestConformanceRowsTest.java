package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.Manifest;
import org.syncref.modelcheck.Mode;
import org.syncref.modelcheck.ModelEntry;

/**
 * The conformance rows of spec/models.txt (mode conformance: never model-checked) are exactly the
 * models the conformance harness loads with TLC's evaluator, so a row of that mode always names a
 * model some conformance test checks Java against.
 */
class ManifestConformanceRowsTest {

  /** Every {@code dir/module/config} the harness loads (its classes' constants). */
  static Set<String> loaded() {
    Set<String> out = new TreeSet<>();
    out.add(dir(Conformance.SPEC_DIR) + "/" + Conformance.MODULE + "/" + Conformance.CONFIG + ".cfg");
    out.add(dir(ResvConformance.SPEC_DIR) + "/" + ResvConformance.MODULE + "/" + ResvConformance.CONFIG + ".cfg");
    out.add(dir(DrmExecChecks.SPEC_DIR) + "/" + DrmExecChecks.MODULE + "/" + DrmExecChecks.CONFIG + ".cfg");
    out.add(dir(org.syncref.conformance.gpumem.GpuMemConformance.SPEC_DIR) + "/"
        + org.syncref.conformance.gpumem.GpuMemConformance.MODULE + "/"
        + org.syncref.conformance.gpumem.GpuMemConformance.CONFIG + ".cfg");
    out.add(dir(org.syncref.conformance.gpumem.GpuMemConformance.SPEC_DIR) + "/"
        + org.syncref.conformance.gpumem.GpuMemConformance.USERPTR_MODULE + "/"
        + org.syncref.conformance.gpumem.GpuMemConformance.USERPTR_CONFIG + ".cfg");
    for (String c : org.syncref.conformance.gpumem.GpuMemConformance.CONFIGS.values()) {
      out.add(dir(org.syncref.conformance.gpumem.GpuMemConformance.SPEC_DIR) + "/"
          + org.syncref.conformance.gpumem.GpuMemConformance.MODULE + "/" + c + ".cfg");
    }
    out.add(dir(org.syncref.conformance.gpumem.GpuMemConformance.SPEC_DIR) + "/"
        + org.syncref.conformance.gpumem.GpuMemVmChecker.MODULE + "/"
        + org.syncref.conformance.gpumem.GpuMemVmChecker.MODULE + ".cfg");
    out.add(dir(org.syncref.conformance.gpumem.GpuMemConformance.SPEC_DIR) + "/"
        + org.syncref.conformance.gpumem.GpuMemVmChecker.TLB_MODULE + "/"
        + org.syncref.conformance.gpumem.GpuMemVmChecker.TLB_MODULE + ".cfg");
    for (String c : List.of(WwConformance.CONFIG_WAIT_DIE, WwConformance.CONFIG_WOUND_WAIT)) {
      for (String suffix : List.of("", WwConformance.NO_LOCKDEP, WwConformance.PROVE_LOCKING)) {
        out.add(dir(WwConformance.SPEC_DIR) + "/" + WwConformance.MODULE + "/" + c + suffix + ".cfg");
      }
    }
    return out;
  }

  private static String dir(String specDir) {
    return specDir.substring(specDir.indexOf('/') + 1);
  }

  /** The {@code dir/module/config} of the manifest's conformance rows. */
  static Set<String> rows(Manifest m) {
    Set<String> out = new TreeSet<>();
    for (ModelEntry e : m.entries()) {
      if (e.mode() == Mode.CONFORMANCE) {
        out.add(e.dir() + "/" + e.module() + "/" + e.config());
      }
    }
    return out;
  }

  @Test
  void conformanceRowsAreTheModelsTheHarnessLoads() throws Exception {
    Manifest m = Manifest.load(Checkout.require().resolve("spec/models.txt"));
    assertEquals(loaded(), rows(m), "conformance rows of spec/models.txt vs the models the harness loads");
  }

  @Test
  void aRowNoHarnessLoadsIsCaught() throws Exception {
    Manifest m = Manifest.parse(Path.of("models.txt"), Path.of("spec"), List.of(
        "DmaFenceConformance DmaFence MCDmaFence MCDmaFenceConformance.cfg conformance success - -",
        "Extra DmaFence MCDmaFence MCDmaFenceExtra.cfg conformance success - -"), false);
    Set<String> rows = rows(m);
    rows.removeAll(loaded());
    assertEquals(Set.of("DmaFence/MCDmaFence/MCDmaFenceExtra.cfg"), rows);
  }
}
