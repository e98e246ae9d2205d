package org.syncref.kernelcheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.ExternalCommand;

/**
 * The kernel tree kernel-check builds: Debian's linux-source-V (installed with apt-get when
 * missing, extracted once into the cache) or a tree the user names. It is never edited: the
 * build uses an overlay in the cache, a hard-link copy of the tree (a plain copy across
 * filesystems) in which drivers/dma-buf/Kconfig and Makefile are replaced (unlinked and written
 * anew, never written through a link) by versions with the option SYNCREF_LITMUS_KUNIT_TEST and
 * its object line, plus the generated syncref-litmus-test.c. The build folder is in the cache too,
 * so a second run recompiles only the test file.
 */
public final class KernelTree {
  static final String OPTION = "SYNCREF_LITMUS_KUNIT_TEST";
  static final String TEST_FILE = "drivers/dma-buf/syncref-litmus-test.c";

  final Path src;
  final Path overlay;
  private final Path home;
  /** The build folder and .kunitconfig of the selected kernel build ({@link #select}). */
  Path build;
  Path kunitconfig;
  final String label;
  private final PrintStream err;

  private KernelTree(Path src, Path home, String label, PrintStream err) {
    this.src = src;
    this.overlay = home.resolve("overlay");
    this.home = home;
    select(DEFAULT_BUILD);
    this.label = label;
    this.err = err;
  }

  /**
   * The cache folder: $SYNCREF_CACHE, else $XDG_CACHE_HOME/syncref, else $HOME/.cache/syncref (the
   * environment's HOME, as the XDG spec has it; Java's user.home, from the password file, only
   * where HOME is unset: a run with another HOME must not find the account's builds).
   */
  public static Path cacheRoot() {
    String s = System.getenv("SYNCREF_CACHE");
    if (s != null && !s.isBlank()) {
      return Path.of(s).toAbsolutePath();
    }
    String x = System.getenv("XDG_CACHE_HOME");
    String home = System.getenv("HOME");
    Path base = x != null && !x.isBlank() ? Path.of(x)
        : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache");
    return base.resolve("syncref").toAbsolutePath();
  }

  /** A tree the user has; checked to look like a kernel tree with dma-buf. */
  static KernelTree user(Path tree, Path repo, PrintStream err) throws BadInputException, IOException {
    Path t = tree.toAbsolutePath().normalize();
    if (!Files.isDirectory(t)) {
      throw new BadInputException(tree + ": no such folder (--kernel-src)");
    }
    for (String f : List.of("Makefile", "drivers/dma-buf/dma-fence.c", "drivers/dma-buf/dma-resv.c",
        "drivers/dma-buf/Kconfig", "tools/testing/kunit/kunit.py")) {
      if (!Files.isRegularFile(t.resolve(f))) {
        throw new BadInputException(tree + ": not a kernel tree with dma-buf and KUnit (no " + f + ")");
      }
    }
    Path home = checkedCache(repo).resolve("trees").resolve(hash(t.toString()));
    return new KernelTree(t, home, t.toString(), err);
  }

  /**
   * Debian's linux-source-V: /usr/src/linux-source-V.tar.xz, apt-get installed if missing (package
   * lists fetched first on a machine that never fetched them), extracted once.
   */
  static KernelTree debian(String version, Path repo, PrintStream err) throws BadInputException, IOException {
    Path home = checkedCache(repo).resolve("kernels").resolve(version);
    Path src = home.resolve("src");
    if (!Files.isRegularFile(src.resolve("Makefile"))) {
      Path tar = Path.of("/usr/src/linux-source-" + version + ".tar.xz");
      if (!Files.isRegularFile(tar)) {
        DebianPackages.system().ensure(List.of("linux-source-" + version), err);
        if (!Files.isRegularFile(tar)) {
          throw new BadInputException("kernel-check: linux-source-" + version + " is installed but " + tar
              + " is not there; give a tree with --kernel-src PATH");
        }
      }
      long t0 = System.nanoTime();
      err.println("kernel-check: extracting " + tar + " into " + home + " ...");
      Path tmp = home.resolve("extract.tmp");
      deleteTree(tmp);
      Files.createDirectories(tmp);
      int rc = run(List.of("tar", "-xJf", tar.toString(), "-C", tmp.toString()), null, err, 1800);
      Path top;
      try (var s = Files.list(tmp)) {
        top = s.filter(Files::isDirectory).findFirst().orElse(null);
      }
      if (rc != 0 || top == null) {
        throw new IOException("extracting " + tar + " failed (tar exit " + rc + ")");
      }
      deleteTree(src);
      Files.move(top, src);
      deleteTree(tmp);
      err.printf("kernel-check: extracted in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
    return new KernelTree(src, home, "Debian linux-source-" + version, err);
  }

  private static Path checkedCache(Path repo) throws BadInputException {
    Path c = cacheRoot();
    if (repo != null && c.normalize().startsWith(repo.toAbsolutePath().normalize())) {
      throw new BadInputException("kernel-check: the cache folder " + c + " is inside the repository; "
          + "set SYNCREF_CACHE or XDG_CACHE_HOME elsewhere");
    }
    return c;
  }

  /**
   * Selects the kernel build: the cache keeps one build folder and .kunitconfig per version (or
   * tree) and build, sharing the overlay. Production keeps the folder names of the time before
   * builds ("build", "kunitconfig"), so existing caches stay valid; the others are
   * "build-NAME" and "kunitconfig-NAME".
   */
  void select(String b) {
    kunitconfig(b); // checks the name
    boolean prod = b.equals("production");
    this.build = home.resolve(prod ? "build" : "build-" + b);
    this.kunitconfig = home.resolve(prod ? "kunitconfig" : "kunitconfig-" + b);
  }

  /** The console log of the last run of the selected build. */
  Path log() {
    return home.resolve(build.getFileName().toString().equals("build") ? "last-run.log"
        : "last-run-" + build.getFileName().toString().substring("build-".length()) + ".log");
  }

  /**
   * Makes the overlay current: created once (hard links), the two build files replaced, and the
   * test file written when its text changed (so make recompiles only what changed).
   */
  void prepare(String testC, String kunitConfig) throws IOException {
    if (!Files.isRegularFile(overlay.resolve("Makefile")) || staleOverlay()) {
      long t0 = System.nanoTime();
      deleteTree(overlay);
      Files.createDirectories(overlay.getParent());
      int rc = run(List.of("cp", "-al", src.toString(), overlay.toString()), null, err, 1800);
      if (rc != 0) {
        deleteTree(overlay);
        err.println("kernel-check: hard links are not possible here; copying the tree (slower)");
        rc = run(List.of("cp", "-a", src.toString(), overlay.toString()), null, err, 3600);
        if (rc != 0) {
          throw new IOException("copying " + src + " to " + overlay + " failed");
        }
      }
      // an in-tree build of the user's would make kbuild refuse the out-of-tree build ("not
      // clean"): its markers are unlinked in the overlay only (the tree keeps its files)
      for (String f : List.of(".config", "include/config", "include/generated", "arch/um/include/generated")) {
        deleteTree(overlay.resolve(f));
      }
      Files.writeString(overlay.resolve(".syncref-overlay"), src + "\n");
      err.printf("kernel-check: overlay of %s in %.1f s%n", src, (System.nanoTime() - t0) / 1e9);
    }
    Path dir = overlay.resolve("drivers/dma-buf");
    Path kconfigSrc = src.resolve("drivers/dma-buf/Kconfig");
    Path makeSrc = src.resolve("drivers/dma-buf/Makefile");
    replace(dir.resolve("Kconfig"), Files.readString(kconfigSrc) + KCONFIG, Files.getLastModifiedTime(kconfigSrc));
    replace(dir.resolve("Makefile"), Files.readString(makeSrc) + MAKEFILE, Files.getLastModifiedTime(makeSrc));
    replace(overlay.resolve(TEST_FILE), testC, null);
    Files.createDirectories(build);
    replace(kunitconfig, kunitConfig, null);
  }

  /** A user tree changes under the overlay: any file newer than the overlay's stamp means a new overlay. */
  private boolean staleOverlay() throws IOException {
    Path stamp = overlay.resolve(".syncref-overlay");
    if (!Files.exists(stamp)) {
      return true;
    }
    if (label.startsWith("Debian")) {
      return false;
    }
    // a user tree: git checkouts replace files (new inodes), which the hard links would not see
    List<String> cmd = List.of("find", src.toString(), "-path", src.resolve(".git").toString(), "-prune", "-o",
        "-newer", stamp.toString(), "-type", "f", "-print", "-quit");
    try {
      return !ExternalCommand.of(cmd).mergeStderr().run().output().isBlank();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /**
   * Takes the cache folder of this tree for this process (another kernel-check on the same tree
   * waits): the overlay and the build folder are shared.
   */
  java.nio.channels.FileLock lock() throws IOException {
    Files.createDirectories(home);
    java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(home.resolve("lock"),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
    java.nio.channels.FileLock l = ch.tryLock();
    if (l == null) {
      err.println("kernel-check: waiting for another kernel-check using " + home);
      l = ch.lock();
    }
    return l;
  }

  /** Unlinks and writes (never through a hard link); unchanged text is left alone. */
  private static void replace(Path f, String text, FileTime mtime) throws IOException {
    if (Files.isRegularFile(f) && Files.readString(f).equals(text)) {
      return;
    }
    Files.deleteIfExists(f);
    Files.writeString(f, text);
    if (mtime != null) {
      Files.setLastModifiedTime(f, mtime);
    }
  }

  static final String KCONFIG = """

      config SYNCREF_LITMUS_KUNIT_TEST
      	tristate "syncref litmus scenarios (generated KUnit suite)" if !KUNIT_ALL_TESTS
      	depends on KUNIT
      	select DMA_SHARED_BUFFER
      	default KUNIT_ALL_TESTS
      	help
      	  Generated by syncref kernel-check; not part of the kernel.
      """;

  static final String MAKEFILE = "obj-$(CONFIG_SYNCREF_LITMUS_KUNIT_TEST) += syncref-litmus-test.o\n";

  /** The build a bare kernel-check runs. */
  static final String DEFAULT_BUILD = "production";

  /** What a build is, for the report. */
  static String describe(String b) {
    return switch (b) {
      case "production" -> "no CONFIG_DEBUG_LOCK_ALLOC: mutex fastpaths; DEBUG_MUTEXES for the WARNs";
      case "debug-lock-alloc" -> "CONFIG_DEBUG_LOCK_ALLOC without PROVE_LOCKING";
      case "prove-locking" -> "CONFIG_PROVE_LOCKING with DEBUG_WW_MUTEX_SLOWPATH: deadlock injection";
      default -> throw new IllegalArgumentException("unknown build " + b);
    };
  }

  /**
   * The .kunitconfig of a kernel build (a Kconfig fragment): KUnit, the suite, DEBUG_KERNEL and
   * CONFIG_DEBUG_MUTEXES in every build, which compiles in the ww_mutex checks the spec models
   * (DEBUG_WW_MUTEXES: DEBUG_LOCKS_WARN_ON in ww_mutex_lock_acquired, ww_acquire_fini,
   * ww_mutex_unlock...) and dma_resv_reset_max_fences; then
   * <ul>
   *   <li>production: not DEBUG_LOCK_ALLOC, so ww_mutex_lock takes the lock fast path as
   *       production kernels do (the fastpath's stale wound);</li>
   *   <li>debug-lock-alloc: DEBUG_LOCK_ALLOC (lockdep's held-lock tracking), every lock by
   *       __mutex_lock_common; not PROVE_LOCKING nor DEBUG_WW_MUTEX_SLOWPATH;</li>
   *   <li>prove-locking: PROVE_LOCKING, which selects DEBUG_LOCK_ALLOC and
   *       DEBUG_WW_MUTEX_SLOWPATH (lib/Kconfig.debug): ww_mutex_lock's deadlock injection.</li>
   * </ul>
   * kunit.py checks that every line made it into the .config.
   */
  static String kunitconfig(String b) {
    List<String> common = List.of("CONFIG_KUNIT=y", "CONFIG_" + OPTION + "=y", "CONFIG_DEBUG_KERNEL=y",
        "CONFIG_DEBUG_MUTEXES=y");
    List<String> rest = switch (b) {
      case "production" -> List.of("# CONFIG_DEBUG_WW_MUTEX_SLOWPATH is not set", "# CONFIG_PROVE_LOCKING is not set",
          "# CONFIG_DEBUG_LOCK_ALLOC is not set");
      case "debug-lock-alloc" -> List.of("CONFIG_DEBUG_LOCK_ALLOC=y", "# CONFIG_PROVE_LOCKING is not set",
          "# CONFIG_DEBUG_WW_MUTEX_SLOWPATH is not set");
      case "prove-locking" -> List.of("CONFIG_PROVE_LOCKING=y", "CONFIG_DEBUG_LOCK_ALLOC=y",
          "CONFIG_DEBUG_WW_MUTEX_SLOWPATH=y");
      default -> throw new IllegalArgumentException("unknown build " + b);
    };
    List<String> all = new ArrayList<>(common);
    all.addAll(rest);
    return String.join("\n", all) + "\n";
  }

  static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    int rc = run(List.of("rm", "-rf", p.toString()), null, null, 600);
    if (rc != 0) {
      throw new IOException("cannot delete " + p);
    }
  }

  /**
   * Runs a command, its output (stderr merged) to err line by line, or discarded; returns the exit
   * code, 124 on timeout, 130 when interrupted.
   */
  static int run(List<String> cmd, Path dir, PrintStream err, long timeoutSec) throws IOException {
    ExternalCommand c = ExternalCommand.of(cmd).mergeStderr().timeout(Duration.ofSeconds(timeoutSec));
    if (dir != null) {
      c.in(dir);
    }
    try {
      ExternalCommand.Result r = c.run(line -> {
        if (err != null) {
          err.println(line);
        }
      });
      return r.timedOut() ? 124 : r.exit();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
