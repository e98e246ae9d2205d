package org.syncref.kernelcheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.ExternalCommand;

/**
 * The Debian packages kernel-check needs, installed with apt-get when missing: the kernel
 * sources (linux-source-V) and what building a UML kernel with kunit.py takes.
 *
 * <p>A fresh Debian machine has never fetched its package lists, so {@code apt-get install} of a
 * package it has not heard of fails with "Unable to locate package"; the lists are fetched
 * ({@code apt-get update}) first whenever {@code apt-cache policy} gives a wanted package no
 * install candidate. ({@code apt-cache show} is not enough: it exits 0 for a package dpkg has
 * seen installed once, even with no package lists.)
 * apt-get runs directly as root, through {@code sudo -n} otherwise; where neither works the
 * missing packages are named in one line with the command to run.
 */
public final class DebianPackages {
  /**
   * What a UML KUnit build of the kernel runs: gcc and make (build-essential), flex and bison
   * (scripts/kconfig), bc (kernel/time/timeconst.bc), python3 (kunit.py), xz-utils (the Debian
   * source tarball), and perl (scripts run by the kernel's Makefiles).
   */
  static final List<String> BUILD_TOOLS =
      List.of("build-essential", "flex", "bison", "bc", "python3", "xz-utils", "perl");

  /** The commands of BUILD_TOOLS that kunit.py and the kernel's Makefiles run. */
  static final List<String> BUILD_COMMANDS =
      List.of("gcc", "make", "flex", "bison", "bc", "python3", "perl", "tar", "xz");

  /** The folder holding dpkg-query, apt-cache and apt-get, or null to find them on the PATH. */
  private final Path bin;
  /** The prefix that runs apt-get as root ([] as root, [sudo, -n]), or null when nothing can. */
  private final List<String> sudo;

  /** apt and dpkg of this machine. */
  public static DebianPackages system() throws IOException {
    return new DebianPackages(null, privilege());
  }

  /** apt and dpkg from the folder bin, run with the prefix sudo (tests use fakes). */
  DebianPackages(Path bin, List<String> sudo) {
    this.bin = bin;
    this.sudo = sudo;
  }

  private String tool(String name) {
    return bin == null ? name : bin.resolve(name).toString();
  }

  /** The commands of BUILD_COMMANDS that are not on the PATH. */
  static List<String> absentCommands() {
    List<String> out = new ArrayList<>();
    for (String c : BUILD_COMMANDS) {
      if (!onPath(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Makes sure the UML kernel can be built: when a build command is missing, installs
   * BUILD_TOOLS with apt-get (Debian), or names the missing commands in one line.
   */
  public static void ensureBuildTools(PrintStream err) throws BadInputException, IOException {
    List<String> absent = absentCommands();
    if (absent.isEmpty()) {
      return;
    }
    if (!onPath("dpkg-query")) {
      throw new BadInputException("kernel-check: building the UML kernel needs " + String.join(", ", absent)
          + ", not installed here (and this is not a Debian machine kernel-check can install them on)");
    }
    err.println("kernel-check: building the UML kernel needs " + String.join(", ", absent) + ", not installed");
    system().ensure(BUILD_TOOLS, err);
    absent = absentCommands();
    if (!absent.isEmpty()) {
      throw new BadInputException("kernel-check: still missing after apt-get install: " + String.join(", ", absent));
    }
  }

  static boolean onPath(String tool) {
    return ExternalCommand.installed(tool);
  }

  /** The packages of {@code wanted} that dpkg does not list as installed. */
  List<String> missing(List<String> wanted) throws IOException {
    List<String> out = new ArrayList<>();
    for (String p : wanted) {
      if (!installed(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Installs whatever of {@code wanted} is missing; fetches the package lists first when apt
   * does not know a wanted package. Throws a one-line BadInputException naming what is missing
   * and why when it cannot.
   */
  public void ensure(List<String> wanted, PrintStream err) throws BadInputException, IOException {
    ensure(wanted, err, "kernel-check");
  }

  /** As {@link #ensure(List, PrintStream)}, its messages starting with {@code who} (the tool or test asking). */
  public void ensure(List<String> wanted, PrintStream err, String who) throws BadInputException, IOException {
    List<String> miss;
    try {
      miss = missing(wanted);
    } catch (IOException e) {
      throw new BadInputException(who + ": dpkg-query cannot run here, so the packages " + String.join(" ", wanted)
          + " cannot be checked or installed; give a kernel tree with --kernel-src PATH and install its build tools");
    }
    if (miss.isEmpty()) {
      return;
    }
    if (sudo == null) {
      throw new BadInputException(who + ": missing Debian packages " + String.join(" ", miss)
          + " and not root (no passwordless sudo): run sudo apt-get update && sudo apt-get install -y "
          + String.join(" ", miss));
    }
    if (!known(miss)) {
      err.println(who + ": apt does not know " + String.join(" ", miss)
          + " (package lists never fetched?): apt-get update");
      int rc = apt(List.of("update", "-q"), err, 900);
      if (rc != 0) {
        throw new BadInputException(who + ": apt-get update failed (exit " + rc + "), so "
            + String.join(" ", miss) + " cannot be installed; give a tree with --kernel-src PATH");
      }
    }
    err.println(who + ": installing " + String.join(" ", miss) + " (apt-get install)");
    List<String> args = new ArrayList<>(List.of("install", "-y", "-q", "--no-install-recommends"));
    args.addAll(miss);
    int rc = apt(args, err, 1800);
    List<String> still = missing(miss);
    if (rc != 0 || !still.isEmpty()) {
      throw new BadInputException(who + ": apt-get install " + String.join(" ", miss) + " failed (exit " + rc
          + "; still missing: " + String.join(" ", still) + ")");
    }
  }

  private boolean installed(String pkg) throws IOException {
    String out = capture(List.of(tool("dpkg-query"), "-W", "-f=${db:Status-Abbrev}", pkg)).output().trim();
    return out.startsWith("ii");
  }

  /**
   * Whether apt's package lists have an install candidate for every package: {@code apt-cache
   * policy} prints "Candidate: (none)" for a package they do not list, and nothing for a name it
   * never heard of.
   */
  private boolean known(List<String> pkgs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(tool("apt-cache"), "policy"));
    cmd.addAll(pkgs);
    ExternalCommand.Result r = capture(cmd);
    if (r.exit() != 0) {
      return false;
    }
    String out = r.output();
    long candidates = out.lines().filter(l -> l.trim().startsWith("Candidate:")
        && !l.contains("(none)")).count();
    return candidates == pkgs.size();
  }

  /** Runs a query (stderr discarded) and captures its output. */
  private static ExternalCommand.Result capture(List<String> cmd) throws IOException {
    try {
      return ExternalCommand.of(cmd).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /** The prefix that runs apt-get as root: nothing as root, sudo -n otherwise, null if neither. */
  private static List<String> privilege() throws IOException {
    if ("root".equals(System.getProperty("user.name"))) {
      return List.of();
    }
    if (onPath("sudo") && KernelTree.run(List.of("sudo", "-n", "true"), null, null, 30) == 0) {
      return List.of("sudo", "-n");
    }
    return null;
  }

  private int apt(List<String> args, PrintStream err, long timeoutSec) throws IOException {
    List<String> cmd = new ArrayList<>(sudo);
    cmd.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", tool("apt-get")));
    cmd.addAll(args);
    try {
      return KernelTree.run(cmd, null, err, timeoutSec);
    } catch (IOException e) {
      return 127; // apt-get cannot be run here
    }
  }
}
