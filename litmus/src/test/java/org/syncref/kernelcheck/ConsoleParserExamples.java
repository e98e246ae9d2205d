package org.syncref.kernelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.litmus.Litmus;
import org.syncref.litmus.LitmusParser;

/**
 * The parts of kernel-check that need no kernel: the console parser and its WARN attribution, the
 * spec-path normalisation, the API probe of a tree and the generator's version mapping.
 */
class ConsoleParserExamples {

  @Test
  void warnsAreAttributedToTheCallOfTheirTaskAndTeardownWarnsAreNot(@TempDir Path tree) throws Exception {
    Path f = tree.resolve("kernel/locking/ww_mutex.h");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "static __always_inline void\nww_mutex_lock_acquired(struct ww_mutex *ww)\n{\n"
        + "\tDEBUG_LOCKS_WARN_ON(ww->ctx);\n}\n");
    ConsoleParser p = new ConsoleParser(tree);
    p.parse(List.of(
        "SR|C|3", "SR|T|0",
        "SR|B|41|0|0", "SR|R|0|0|0|0",
        "SR|B|41|0|1",
        "DEBUG_LOCKS_WARN_ON(ww->ctx)",
        "WARNING: CPU: 0 PID: 41 at kernel/locking/ww_mutex.h:4 __ww_mutex_lock.constprop.0+0x1d/0x30",
        "SR|R|0|1|1|-114",
        "SR|E|0|7|3|0",
        "SR|O|0|0|1|0|0:0:1:-114,0:1:2:1,",
        "SR|D|0",
        "WARNING: CPU: 0 PID: 41 at kernel/locking/ww_mutex.h:4 x+0x1/0x2",
        "SR|Z|3"));
    ConsoleParser.CaseRun c = p.cases.get(3);
    assertTrue(c.ended);
    ConsoleParser.Trial t = c.trials.get(0);
    assertEquals(1, t.warns.size(), "the teardown WARN is not the scenario's");
    assertEquals(1, t.warns.get(0).site());
    assertEquals("ww_mutex_lock_acquired", t.warns.get(0).function());
    assertEquals(2, t.steps.size());
    assertEquals(-114, t.steps.get(1).value());
    assertEquals(Map.of("0|7|3", false), t.expects);
    assertEquals(1, t.sigmask);
    assertEquals(2, t.regs.size());
  }

  /**
   * With CONFIG_DEBUG_LOCK_ALLOC lockdep reports an unlock of a lock the task does not hold (a
   * second ww_acquire_fini, ww_mutex_unlock by another task) before DEBUG_LOCKS_WARN_ON, and
   * turns debug_locks off, so no WARN() splat follows: the report is the call's WARN. Seen in
   * the console of 6.12.118 built with PROVE_LOCKING.
   */
  @Test
  void aLockdepUnlockImbalanceReportIsAWarnOfTheTasksCall() {
    ConsoleParser p = new ConsoleParser(null);
    p.parse(List.of(
        "SR|C|5", "SR|T|0",
        "SR|B|4935|0|0", "SR|R|0|0|0|0",
        "SR|B|4935|0|1",
        "=====================================",
        "WARNING: bad unlock balance detected!",
        "6.12.118 #2 Tainted: G        W        N",
        "-------------------------------------",
        "kunit_try_catch/4935 is trying to release lock (sr59_class_0_acquire) at:",
        "[<0000000060338f00>] sr59_call+0x40/0x1c0",
        "but there are no more locks to release!",
        "SR|R|0|1|1|0",
        "SR|D|0",
        "SR|Z|5"));
    ConsoleParser.Trial t = p.cases.get(5).trials.get(0);
    assertEquals(1, t.warns.size());
    assertEquals(1, t.warns.get(0).site());
    assertEquals("lockdep: bad unlock balance detected", t.warns.get(0).where());
  }

  /** Lockdep's report of a lock whose nest_lock (the acquire context's dep_map) is not held. */
  @Test
  void aLockdepNestedLockReportIsAWarnOfTheTasksCall() {
    ConsoleParser p = new ConsoleParser(null);
    p.parse(List.of(
        "SR|C|5", "SR|T|0",
        "SR|B|17|0|0", "SR|R|0|0|0|0",
        "SR|B|17|0|2",
        "==================================",
        "WARNING: Nested lock was not taken",
        "6.12.118 #1 Tainted: G        W        N",
        "----------------------------------",
        "kunit_try_catch/17 is trying to lock:",
        "000000006c900d68 (sr0_class_0_mutex){....}-{3:3}, at: sr0_call+0x18d/0x210",
        "but this task is not holding:",
        "sr0_class_0_acquire",
        "SR|R|0|2|0|0",
        "SR|D|0",
        "SR|Z|5"));
    ConsoleParser.Trial t = p.cases.get(5).trials.get(0);
    assertEquals(1, t.warns.size());
    assertEquals(2, t.warns.get(0).site());
    assertEquals("lockdep: Nested lock was not taken", t.warns.get(0).where());
  }

  @Test
  void theFunctionHoldingALineIsFoundWhenItsNameStartsTheLine(@TempDir Path tree) throws Exception {
    Path f = tree.resolve("drivers/dma-buf/dma-fence.c");
    Files.createDirectories(f.getParent());
    Files.writeString(f, String.join("\n",
        "int dma_fence_signal(struct dma_fence *fence)",
        "{",
        "\treturn 0;",
        "}",
        "EXPORT_SYMBOL(dma_fence_signal);",
        "",
        "signed long",
        "dma_fence_wait_timeout(struct dma_fence *fence, bool intr, signed long timeout)",
        "{",
        "\tif (WARN_ON(timeout < 0))",
        "\t\treturn -EINVAL;",
        "}", ""));
    assertEquals("dma_fence_wait_timeout", new ConsoleParser(tree).enclosingFunction("drivers/dma-buf/dma-fence.c", 10));
    assertEquals("dma_fence_signal", new ConsoleParser(tree).enclosingFunction("drivers/dma-buf/dma-fence.c", 3));
  }

  @Test
  void specPathsAreNormalisedLikeTheKernelsSteps() {
    List<KernelCheck.NStep> s = KernelCheck.normalize(List.of(
        "P0: r0 = dma_fence_wait_timeout(f1, false, 2) sleeps",
        "P0: condition at 5:3 is true",
        "P0: r0 = dma_fence_wait_timeout(f1, false, 2) times out -> 0",
        "P0: dma_resv_add_fence(r, f1, WRITE) breaks the API contract: LAddFence is not enabled here"));
    assertEquals(2, s.size());
    assertEquals("P0: r0 = dma_fence_wait_timeout(f1, false, 2) -> 0", s.get(0).label());
    assertEquals(KernelCheck.NKind.CONTRACT, s.get(1).kind());
    assertEquals("P0: dma_resv_add_fence(r, f1, WRITE)", s.get(1).label());
    List<KernelCheck.NStep> b = KernelCheck.normalize(List.of("P0: r0 = dma_fence_wait(f1, false) sleeps"));
    assertEquals(KernelCheck.NKind.SLEEPS, b.get(0).kind());
  }

  private static Path fakeTree(Path dir, boolean mainline) throws Exception {
    Files.createDirectories(dir.resolve("include/linux"));
    Files.createDirectories(dir.resolve("drivers/dma-buf"));
    Files.writeString(dir.resolve("Makefile"), "VERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 0\n");
    StringBuilder fence = new StringBuilder();
    for (String fn : List.of("dma_fence_set_error", "dma_fence_get_status", "dma_fence_is_signaled",
        "dma_fence_enable_sw_signaling", "dma_fence_add_callback", "dma_fence_remove_callback",
        "dma_fence_wait_timeout", "dma_fence_wait")) {
      fence.append("int ").append(fn).append("(struct dma_fence *f);\n");
    }
    fence.append(mainline ? "void dma_fence_signal(struct dma_fence *f);\nbool dma_fence_check_and_signal(struct dma_fence *f);\n"
        : "int dma_fence_signal(struct dma_fence *f);\n");
    Files.writeString(dir.resolve("include/linux/dma-fence.h"), fence.toString());
    Files.writeString(dir.resolve("include/linux/dma-resv.h"), "enum dma_resv_usage {\n};\n"
        + "int dma_resv_lock(struct dma_resv *obj, struct ww_acquire_ctx *ctx);\n");
    Files.writeString(dir.resolve("include/linux/ww_mutex.h"), "int ww_mutex_lock(struct ww_mutex *l);\n");
    Files.writeString(dir.resolve("drivers/dma-buf/dma-resv.c"),
        "struct dma_resv_list {\n\tstruct rcu_head rcu;\n\tu32 num_fences, max_fences;\n};\n"
        + "if (dma_fence_is_later_or_same(fence, old))\n");
    return dir;
  }

  @Test
  void theGeneratorMapsCheckAndSignalToTheTreesApiAndSkipsWhatTheTreeLacks(@TempDir Path tmp) throws Exception {
    Litmus l = LitmusParser.parse("t.litmus", String.join("\n",
        "litmus t", "context c1", "fence f1 on c1", "resv r",
        "r0 = dma_fence_check_and_signal(f1)", "r1 = dma_resv_test_signaled(r, READ)", ""));
    KernelApi old = KernelApi.of(fakeTree(tmp.resolve("old"), false));
    KernelApi main = KernelApi.of(fakeTree(tmp.resolve("main"), true));
    assertEquals("7.2.0", old.version());
    assertFalse(old.checkAndSignal());
    assertTrue(main.checkAndSignal());
    Scenario sc = new Scenario(0, l, 10);
    String cOld = new CGenerator(old).generate(List.of(sc));
    String cMain = new CGenerator(main).generate(List.of(sc));
    assertTrue(cOld.contains("SR_VAL(SR_BOOL, dma_fence_signal(&s->f[0]) != 0)"), cOld);
    assertTrue(cMain.contains("dma_fence_check_and_signal(&s->f[0])"), cMain);
    // the fake headers have no dma_resv_test_signaled: the file is skipped with the reason
    String why = new CGenerator(main).unsupported(sc);
    assertTrue(why != null && why.contains("dma_resv_test_signaled"), String.valueOf(why));
  }
}
