package org.syncref.kernelcheck.uml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.kernelcheck.DebianPackages;
import org.syncref.kernelcheck.KernelCheckCommand;
import org.syncref.kernelcheck.KernelTree;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.cli.Cli;

/**
 * {@code syncref kernel-check} on the real kernel (Debian's linux-source-6.12 as UML + KUnit): a
 * small set of one-thread and multi-thread files agrees with the spec; negative controls: a spec
 * mutant and a wrong header make it report DIVERGES (exit 1), a broken file is bad input (exit 2).
 * kernel-check installs what it needs on Debian (build tools, linux-source-6.12, the package
 * lists first on a fresh machine); where it cannot, the tests are skipped with the reason
 * printed, except in CI (CI=true), where that is a failure. The whole library runs with
 * {@code -Dsyncref.kernelcheck.full=true}. Own surefire execution (kernel-check): TLC holds one
 * spec per JVM. First run about 3 minutes (extraction and a clean UML build, cached in
 * ~/.cache/syncref), then about 20 s per kernel-check call.
 */
class KernelCheckExamples {
  private static final Path LIB = Checkout.require().resolve("spec/litmus");

  @BeforeAll
  static void kernelAvailable() {
    String why = missing();
    if (why != null) {
      // In CI (CI=true) a kernel test that cannot run is a failure: a skip there would hide
      // that kernel-check no longer works on a fresh machine.
      Assertions.assertFalse(inCi(), "KernelCheckExamples cannot run in CI: " + why);
      System.out.println("KernelCheckExamples skipped: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
  }

  static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Why the kernel cannot be built here, or null. Uses kernel-check's own installer: the build
   * tools and linux-source-6.12 are installed with apt-get when missing (the package lists
   * fetched first on a fresh machine); what cannot be installed is the reason.
   */
  static String missing() {
    try {
      DebianPackages.ensureBuildTools(System.out);
      if (!sources()) {
        DebianPackages.system().ensure(List.of("linux-source-6.12"), System.out);
      }
      return sources() ? null : "no /usr/src/linux-source-6.12.tar.xz after installing linux-source-6.12";
    } catch (BadInputException e) {
      return e.getMessage();
    } catch (IOException e) {
      return "cannot install the kernel sources: " + e;
    }
  }

  private static boolean sources() {
    return Files.isRegularFile(Path.of("/usr/src/linux-source-6.12.tar.xz"))
        || Files.isRegularFile(KernelTree.cacheRoot().resolve("kernels/6.12/src/Makefile"));
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
    PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8);
    int code = Cli.execute(new KernelCheckCommand(po, pe), List.of(args), po, pe);
    Result r = new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    System.out.println(r.out);
    System.out.println(r.err);
    return r;
  }

  private static String lib(String name) {
    return LIB.resolve(name).toString();
  }

  @Test
  void oneThreadAndMultiThreadFilesAgreeWithTheSpec() throws Exception {
    Result r = run("--trials", "60",
        lib("fence-get-status-values.litmus"),            // one thread: values
        lib("fence-set-error-after-signal-warns.litmus"), // one thread: a WARN
        lib("ww-wd-fini-with-locks-held-warns.litmus"),   // one thread: a DEBUG_LOCKS_WARN_ON
        lib("resv-add-without-reserve-breaks-contract.litmus"), // contract: not executed
        lib("fence-wait-unsignaled-deadlocks.litmus"),    // blocks for ever: probed
        lib("fence-concurrent-signal-one-winner.litmus"), // two kthreads
        lib("resv-read-sees-write.litmus"));              // two kthreads, two outcomes
    assertEquals(0, r.exit, r.out + r.err);
    assertTrue(r.out.contains("7 files: 7 OK, 0 diverging, 0 skipped"), r.out);
    assertTrue(r.out.contains("warn [dma_fence_set_error]") && r.out.contains("warn [ww_acquire_fini]"), r.out);
    assertTrue(r.out.contains("60 trials"), r.out);
  }

  @Test
  void aWrongSpecAndAWrongHeaderDiverge(@TempDir Path tmp) throws Exception {
    // the header says Always, but exactly one of the two signalers wins
    Path wrong = tmp.resolve("wrong-header.litmus");
    Files.writeString(wrong, Files.readString(LIB.resolve("fence-concurrent-signal-one-winner.litmus"))
        .replace("# Result: Never", "# Result: Always"));
    Result r = run("--trials", "40", "--mutant", "ignore_kernel",
        lib("resv-query-read-sees-kernel-fence.litmus"), wrong.toString());
    assertEquals(1, r.exit, r.out + r.err);
    assertTrue(r.out.contains("resv-query-read-sees-kernel-fence.litmus)   kernel 6.12: DIVERGES"), r.out);
    assertTrue(r.out.contains("wrong-header.litmus)   kernel 6.12: DIVERGES"), r.out);
    assertTrue(r.out.contains("2 files: 0 OK, 2 diverging, 0 skipped"), r.out);
  }

  /**
   * The build difference the spec models (WwCalls' Build): the default build, production, has no
   * CONFIG_DEBUG_LOCK_ALLOC, so ww_mutex_lock_slow on a free lock takes the fast path and keeps a
   * stale wound, and the oldest context then gets -EDEADLK (about a quarter of the trials). The
   * spec explored with Build = "production" allows it (the file's '# Result on production:
   * Sometimes'); on debug-lock-alloc it would not ('# Result: Never').
   */
  @Test
  void theStaleWoundOfABuildWithoutLockdepIsSeenAndAllowed() throws Exception {
    Result r = run("--trials", "60", lib("ww-ww-oldest-never-backs-off-after-stale-wound.litmus"));
    assertEquals(0, r.exit, r.out + r.err);
    assertTrue(r.out.contains("exists: kernel Sometimes") && r.out.contains("spec Sometimes"), r.out);
  }

  /**
   * The one prove-locking run of CI (its own UML build in the cache, once): CONFIG_PROVE_LOCKING
   * selects DEBUG_WW_MUTEX_SLOWPATH, so a lone context may be told to back off at an
   * uncontended lock (the spec: Sometimes on prove-locking), and with ww_acquire_init_noinject
   * (the generated suite's copy of test-ww_mutex.c's macro) never.
   */
  @Test
  void theProveLockingBuildInjectsAndNoinjectTurnsItOff() throws Exception {
    Result r = run("--build", "prove-locking", lib("ww-wd-oldest-backs-off-under-injection.litmus"),
        lib("ww-wd-noinject-never-backs-off-alone.litmus"));
    assertEquals(0, r.exit, r.out + r.err);
    assertTrue(r.out.contains("kernel 6.12 prove-locking") && r.out.contains("2 files: 2 OK"), r.out);
    assertTrue(r.err.contains("build prove-locking"), r.err);
  }

  @Test
  void badInputIsOneLineAndNoBuild(@TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad.litmus");
    Files.writeString(bad, "litmus bad\ncontext c1\nfence f1 on c1\ndma_fence_signl(f1)\n");
    Result r = run(bad.toString());
    assertEquals(2, r.exit, r.out + r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertTrue(r.err.startsWith(bad + ":4:1: "), r.err);
    assertTrue(!r.err.contains("building UML"), r.err);
  }

  @Test
  void theWholeLibrary() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("syncref.kernelcheck.full"),
        "the whole library runs with -Dsyncref.kernelcheck.full=true (about 1 minute after the build)");
    Result r = run(LIB.toString());
    assertEquals(0, r.exit, r.out + r.err);
  }

  static List<Path> litmusFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    try (var s = Files.list(LIB)) {
      s.filter(p -> p.toString().endsWith(".litmus")).sorted().forEach(out::add);
    }
    return out;
  }
}
