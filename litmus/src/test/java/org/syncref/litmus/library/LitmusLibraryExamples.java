package org.syncref.litmus.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.syncref.litmus.LitmusCheck;
import org.syncref.modelcheck.Checkout;

/**
 * {@code syncref check spec/litmus/}: every file's header and expects hold over the spec, and the
 * Java implementation stays within the spec's outcomes. Negative controls: spec mutants that
 * files of the library must catch.
 */
class LitmusLibraryExamples {
  private static final Path LIB = Checkout.require().resolve("spec/litmus");

  private static String run(LitmusCheck.Options o, int expectedExit, String... files) throws Exception {
    return run(o, new org.syncref.kernel.InjectedBug[0], expectedExit, files);
  }

  private static String run(LitmusCheck.Options o, org.syncref.kernel.InjectedBug[] bugs, int expectedExit,
      String... files) throws Exception {
    return run(o, c -> c.withImplBugs(bugs), expectedExit, files);
  }

  /** Runs {@code files} of the library (all if none) with a check that {@code setup} configured. */
  private static String run(LitmusCheck.Options o, UnaryOperator<LitmusCheck> setup, int expectedExit,
      String... files) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    List<Path> paths = files.length == 0 ? LitmusCheck.files(List.of(LIB.toString()))
        : java.util.Arrays.stream(files).map(LIB::resolve).toList();
    int code = setup.apply(new LitmusCheck(ps, ps, o)).run(paths);
    String out = buf.toString(StandardCharsets.UTF_8);
    System.out.println(out);
    assertEquals(expectedExit, code, out);
    return out;
  }

  /**
   * Every file on every build where the build matters (files with an acquire context: the spec
   * with Build = production, debug-lock-alloc and prove-locking, the '# Result on BUILD:'
   * headers, the Java side on DEBUG_MUTEXES, DEBUG_LOCK_ALLOC and PROVE_LOCKING kernels).
   */
  @Test
  void theWholeLibraryHolds() throws Exception {
    assertTrue(LitmusCheck.files(List.of(LIB.toString())).size() >= 60);
    String out = run(new LitmusCheck.Options(100, true, "none", false), 0);
    assertTrue(!out.contains("MISMATCH") && !out.contains("FAILURE"), out);
    assertTrue(out.contains("  on prove-locking:") && out.contains("  on production:"), out);
  }

  /**
   * The build comparison's control: the Java fastpath build keeps the stale wound, so judged
   * against the debug-lock-alloc spec (where the oldest never backs off) it is a conformance
   * failure; the Java DEBUG_LOCK_ALLOC build on the same file is not (theWholeLibraryHolds).
   */
  @Test
  void javaFastpathBuildAgainstTheLockdepSpecIsAConformanceFailure() throws Exception {
    String out = run(new LitmusCheck.Options(300, true, "none", false),
        c -> c.withBuild("debug-lock-alloc").withImplBuild(org.syncref.kernel.Kernel.Build.DEBUG_MUTEXES), 1,
        "ww-ww-oldest-never-backs-off-after-stale-wound.litmus");
    assertTrue(out.contains("Java: CONFORMANCE FAILURE") && out.contains("P1:r2=-EDEADLK"), out);
  }

  /**
   * The control of the prove-locking build: the Java PROVE_LOCKING kernel injects -EDEADLK (the
   * context's countdown from stamp & 0xf), which the debug-lock-alloc spec does not allow; with
   * ww_acquire_init_noinject it does not inject (the noinject file holds on every build).
   */
  @Test
  void javaInjectionAgainstTheDebugLockAllocSpecIsAConformanceFailure() throws Exception {
    String out = run(new LitmusCheck.Options(300, true, "none", false),
        c -> c.withBuild("debug-lock-alloc").withImplBuild(org.syncref.kernel.Kernel.Build.PROVE_LOCKING), 1,
        "ww-wd-oldest-backs-off-under-injection.litmus");
    assertTrue(out.contains("Java: CONFORMANCE FAILURE") && out.contains("-EDEADLK"), out);
    String ok = run(new LitmusCheck.Options(300, true, "none", false),
        c -> c.withBuild("debug-lock-alloc").withImplBuild(org.syncref.kernel.Kernel.Build.PROVE_LOCKING), 0,
        "ww-wd-noinject-never-backs-off-alone.litmus");
    assertTrue(!ok.contains("FAILURE"), ok);
  }

  @Test
  void ignoreKernelMutantMissesKernelFences() throws Exception {
    String out = run(new LitmusCheck.Options(10, false, "ignore_kernel", false), 1,
        "resv-query-read-sees-kernel-fence.litmus");
    assertTrue(out.contains("MISMATCH"), out);
  }

  /** The Java side's control: an injected dma_resv bug leaves the spec's outcomes. */
  @Test
  void javaTestSignaledIgnoringKernelFencesIsAConformanceFailure() throws Exception {
    String out = run(new LitmusCheck.Options(10, true, "none", false),
        new org.syncref.kernel.InjectedBug[] {org.syncref.kernel.InjectedBug.RESV_TEST_SIGNALED_IGNORES_KERNEL}, 1,
        "resv-query-read-sees-kernel-fence.litmus");
    assertTrue(out.contains("Java: CONFORMANCE FAILURE"), out);
  }

  /** ... and an injected ww_mutex bug (Wait-Die lets the younger wait instead of dying). */
  @Test
  void javaWaitDieYoungerWaitsIsAConformanceFailure() throws Exception {
    String out = run(new LitmusCheck.Options(300, true, "none", false),
        new org.syncref.kernel.InjectedBug[] {org.syncref.kernel.InjectedBug.WW_WAIT_DIE_YOUNGER_WAITS}, 1,
        "ww-wd-abba-no-resolve.litmus");
    assertTrue(out.contains("Java: CONFORMANCE FAILURE"), out);
  }

  /**
   * After a contract breach the kernel goes on (an add without a reserved slot reuses a
   * signaled entry), and the Java outcome is compared with the spec's kernel continuation: an
   * add that always appends hits the BUG_ON instead and is a conformance failure.
   */
  @Test
  void javaAddAppendingAfterAContractBreachIsAConformanceFailure() throws Exception {
    String out = run(new LitmusCheck.Options(10, true, "none", false),
        new org.syncref.kernel.InjectedBug[] {org.syncref.kernel.InjectedBug.RESV_ADD_APPENDS}, 1,
        "resv-add-unreserved-reuses-signaled-slot.litmus");
    assertTrue(out.contains("Java: CONFORMANCE FAILURE") && out.contains("contract; kernel: "), out);
  }

  /**
   * The add_fence rule's Java controls, each caught by the file written for the rule it breaks.
   * An add that always appends: resv-add-same-fence-twice-needs-one-slot sees f1 twice from
   * dma_resv_get_fences (the same set as the kernel's single entry, so a set comparison missed
   * it), resv-signaled-entry-is-reused sees the signaled f1 kept beside f2 only through the locked
   * walk (get_fences skips signaled fences), and the other files see the extra entry.
   */
  @Test
  void javaAddAppendingIsAConformanceFailureOnTheRuleFiles() throws Exception {
    for (String f : List.of("resv-add-same-fence-twice-needs-one-slot.litmus", "resv-signaled-entry-is-reused.litmus",
        "resv-add-same-context-later-replaces.litmus", "resv-add-stronger-usage-replaces.litmus",
        "resv-add-replaces-in-place.litmus", "resv-add-same-fence-two-usages-two-entries.litmus")) {
      String out = run(new LitmusCheck.Options(10, true, "none", false),
          new org.syncref.kernel.InjectedBug[] {org.syncref.kernel.InjectedBug.RESV_ADD_APPENDS}, 1, f);
      assertTrue(out.contains("Java: CONFORMANCE FAILURE"), out);
    }
    String twice = run(new LitmusCheck.Options(10, true, "none", false),
        new org.syncref.kernel.InjectedBug[] {org.syncref.kernel.InjectedBug.RESV_ADD_APPENDS}, 1,
        "resv-add-same-fence-twice-needs-one-slot.litmus");
    assertTrue(twice.contains("P0:r1=[f1, f1]"), twice);
    String reused = run(new LitmusCheck.Options(10, true, "none", false),
        new org.syncref.kernel.InjectedBug[] {org.syncref.kernel.InjectedBug.RESV_ADD_APPENDS}, 1,
        "resv-signaled-entry-is-reused.litmus");
    assertTrue(reused.contains("P0:r2=[f2]; P0:r3=[f1, f2]"), reused);
  }

  /** An add that ignores the usage when it replaces (RESV-NO-DOWNGRADE): the usage files catch it. */
  @Test
  void javaAddIgnoringTheUsageIsAConformanceFailure() throws Exception {
    for (String f : List.of("resv-add-weaker-usage-keeps-stronger-entry.litmus",
        "resv-add-same-fence-two-usages-two-entries.litmus")) {
      String out = run(new LitmusCheck.Options(10, true, "none", false),
          new org.syncref.kernel.InjectedBug[] {org.syncref.kernel.InjectedBug.RESV_ADD_IGNORES_USAGE}, 1, f);
      assertTrue(out.contains("Java: CONFORMANCE FAILURE"), out);
    }
  }

  /**
   * An add that replaces by remove-and-append keeps the fences but not their order: only the
   * ordered comparison of dma_resv_get_fences sees it (resv-add-replaces-in-place).
   */
  @Test
  void javaAddMovingTheReplacedEntryIsAConformanceFailure() throws Exception {
    String out = run(new LitmusCheck.Options(10, true, "none", false),
        new org.syncref.kernel.InjectedBug[] {org.syncref.kernel.InjectedBug.RESV_ADD_REPLACE_MOVES_TO_END}, 1,
        "resv-add-replaces-in-place.litmus");
    assertTrue(out.contains("Java: CONFORMANCE FAILURE") && out.contains("P0:r1=[g, f2]"), out);
  }

  /** The spec side: the downgrade mutant merges f1's two entries, so the duplicate is gone. */
  @Test
  void downgradeMutantMergesTheTwoUsageEntries() throws Exception {
    String out = run(new LitmusCheck.Options(10, false, "downgrade", false), 1,
        "resv-add-same-fence-two-usages-two-entries.litmus");
    assertTrue(out.contains("MISMATCH"), out);
  }

  /** The 5.19.0-5.19.7 add rule (no seqno test) drops the newer fence: the file catches it. */
  @Test
  void noSeqnoMutantDropsTheNewerFence() throws Exception {
    String out = run(new LitmusCheck.Options(10, false, "no_seqno_5_19", false), 1,
        "resv-add-same-context-earlier-keeps-both.litmus");
    assertTrue(out.contains("MISMATCH"), out);
  }

  /** A resv wait that walks on before its fence signaled does not deadlock: the file catches it. */
  @Test
  void waitEarlyMutantMissesTheDeadlock() throws Exception {
    String out = run(new LitmusCheck.Options(10, false, "wait_early", false), 1,
        "resv-wait-forever-deadlocks-with-signaller-behind-lock.litmus");
    assertTrue(out.contains("MISMATCH"), out);
  }

  /** dma_fence_set_deadline without its dma_fence_is_signaled peek (Java): the file catches it. */
  @Test
  void javaSetDeadlineWithoutPeekIsAConformanceFailure() throws Exception {
    String out = run(new LitmusCheck.Options(10, true, "none", false),
        new org.syncref.kernel.InjectedBug[] {org.syncref.kernel.InjectedBug.DEADLINE_NO_PEEK}, 1,
        "fence-set-deadline-peeks-passed-fence.litmus");
    assertTrue(out.contains("Java: CONFORMANCE FAILURE") && out.contains("P0:r0=0"), out);
  }

  /** The spec side: with the ignore_peek mutant set_deadline never signals the passed fence. */
  @Test
  void ignorePeekMutantSetDeadlineLeavesThePassedFencePending() throws Exception {
    String out = run(new LitmusCheck.Options(10, false, "ignore_peek", false), 1,
        "fence-set-deadline-peeks-passed-fence.litmus");
    assertTrue(out.contains("MISMATCH"), out);
  }
}
