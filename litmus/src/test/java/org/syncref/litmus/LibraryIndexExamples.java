package org.syncref.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.modelcheck.Checkout;

/**
 * The litmus library covers the language and its index covers the library: every call of
 * {@link Calls.Fn} is made by some file of spec/litmus/ (so kernel-check has run its C on the real
 * kernel at least once), and every file is listed in spec/litmus/README.md. These are the steps of
 * docs/adding-a-kernel-call.md that nothing else checks.
 */
class LibraryIndexExamples {

  /** The calls no file of {@code library} makes: kernel names, in declaration order. */
  static List<String> callsWithoutFile(Path library) throws IOException {
    StringBuilder code = new StringBuilder();
    try (Stream<Path> files = Files.list(library)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".litmus")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.stripLeading().startsWith("#")) {
            code.append(line).append('\n');
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (Calls.Fn fn : Calls.Fn.values()) {
      if (!Pattern.compile("\\b" + fn.kernelName() + "\\s*\\(").matcher(code).find()) {
        missing.add(fn.kernelName());
      }
    }
    return missing;
  }

  /** The files of {@code library} its README.md does not link, by name. */
  static List<String> filesNotInIndex(Path library) throws IOException {
    String index = Files.readString(library.resolve("README.md"));
    List<String> missing = new ArrayList<>();
    try (Stream<Path> files = Files.list(library)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".litmus")).sorted().toList()) {
        if (!index.contains("(" + f.getFileName() + ")")) {
          missing.add(f.getFileName().toString());
        }
      }
    }
    return missing;
  }

  static Path library() {
    return Checkout.require().resolve("spec/litmus");
  }

  @Test
  void every_call_is_made_by_some_library_file() throws IOException {
    List<String> missing = callsWithoutFile(library());
    assertEquals(List.of(), missing, "calls of Calls.Fn that no file of spec/litmus/ makes");
  }

  @Test
  void every_library_file_is_in_the_index() throws IOException {
    List<String> missing = filesNotInIndex(library());
    assertEquals(List.of(), missing, "files of spec/litmus/ that spec/litmus/README.md does not list");
  }

  /** Negative control: a library of one file that makes one call, with an empty index. */
  @Test
  void a_call_without_a_file_and_a_file_without_a_row_are_named(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("one.litmus"), """
        # Result: Always
        # dma_resv_lock( in a comment does not count
        litmus one
        context c1
        fence f1 on c1
        dma_fence_signal(f1)
        exists (true)
        """);
    Files.writeString(dir.resolve("README.md"), "# index\n");
    List<String> calls = callsWithoutFile(dir);
    assertTrue(!calls.contains("dma_fence_signal") && calls.contains("dma_resv_lock"), calls.toString());
    assertEquals(Calls.Fn.values().length - 1, calls.size(), calls.toString());
    assertEquals(List.of("one.litmus"), filesNotInIndex(dir));
    Files.writeString(dir.resolve("README.md"), "| [`one`](one.litmus) | Always |\n");
    assertEquals(List.of(), filesNotInIndex(dir));
  }
}
