package org.syncref.kernelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.modelcheck.BadInputException;

/**
 * kernel-check's Debian installer against fake dpkg-query, apt-cache and apt-get that act as a
 * fresh machine does: no package installed, no package lists until apt-get update ran.
 */
class DebianPackagesExamples {

  /** Writes the fakes; they log each call to bin/calls and keep their state in bin/. */
  private static Path fakeApt(Path dir, boolean updateWorks) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    script(bin, "dpkg-query", """
        pkg="${@: -1}"
        if [ -f "$BIN/installed-$pkg" ]; then printf 'ii '; else printf 'un '; fi
        """);
    // apt-cache policy as apt has it: "Candidate: (none)" without lists (exit 0 all the same)
    script(bin, "apt-cache", """
        echo "apt-cache $*" >>"$BIN/calls"
        shift
        for p in "$@"; do
          echo "$p:"
          if [ -f "$BIN/lists" ]; then echo "  Candidate: 1.0"; else echo "  Candidate: (none)"; fi
        done
        """);
    script(bin, "apt-get", """
        echo "apt-get $*" >>"$BIN/calls"
        case "$1" in
          update) %s ;;
          install) [ -f "$BIN/lists" ] || { echo 'E: Unable to locate package'; exit 100; }
                   for a in "$@"; do case "$a" in -*|install) ;; *) touch "$BIN/installed-$a" ;; esac; done ;;
        esac
        """.formatted(updateWorks ? "touch \"$BIN/lists\"" : "exit 100"));
    return bin;
  }

  private static void script(Path bin, String name, String body) throws Exception {
    Path f = bin.resolve(name);
    Files.writeString(f, "#!/bin/bash\nBIN='" + bin + "'\n" + body);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static List<String> calls(Path bin) throws Exception {
    Path c = bin.resolve("calls");
    return Files.exists(c) ? Files.readAllLines(c) : List.of();
  }

  @Test
  void aFreshMachineFetchesThePackageListsBeforeInstalling(@TempDir Path tmp) throws Exception {
    Path bin = fakeApt(tmp, true);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new DebianPackages(bin, List.of()).ensure(List.of("linux-source-6.12", "flex"),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    List<String> calls = calls(bin);
    assertEquals("apt-cache policy linux-source-6.12 flex", calls.get(0), calls.toString());
    assertEquals("apt-get update -q", calls.get(1), calls.toString());
    assertTrue(calls.get(2).startsWith("apt-get install -y") && calls.get(2).endsWith("linux-source-6.12 flex"),
        calls.toString());
    assertTrue(Files.exists(bin.resolve("installed-flex")));
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("apt-get update"), log.toString(StandardCharsets.UTF_8));
  }

  @Test
  void installedPackagesNeedNoApt(@TempDir Path tmp) throws Exception {
    Path bin = fakeApt(tmp, true);
    Files.createFile(bin.resolve("installed-flex"));
    new DebianPackages(bin, List.of()).ensure(List.of("flex"), System.out);
    assertEquals(List.of(), calls(bin));
  }

  @Test
  void whatCannotBeInstalledIsOneLine(@TempDir Path tmp) throws Exception {
    Path bin = fakeApt(tmp, false);
    BadInputException e = assertThrows(BadInputException.class,
        () -> new DebianPackages(bin, List.of()).ensure(List.of("linux-source-6.12"), System.out));
    assertTrue(e.getMessage().startsWith("kernel-check: apt-get update failed"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    BadInputException notRoot = assertThrows(BadInputException.class,
        () -> new DebianPackages(bin, null).ensure(List.of("flex"), System.out));
    assertTrue(notRoot.getMessage().contains("sudo apt-get install -y flex"), notRoot.getMessage());
  }
}
