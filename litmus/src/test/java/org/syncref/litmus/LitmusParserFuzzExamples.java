package org.syncref.litmus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.modelcheck.BadInputException;

/**
 * Mutants of valid litmus files ({@link LitmusMutator}), parsed from disk: each parses or is
 * rejected with one line {@code FILE:LINE:COL: message} ({@code FILE: message} if it cannot be
 * read), quickly, and nothing else escapes. Reproducible: mutant i uses {@code new Random(SEED + i)}.
 */
public class LitmusParserFuzzExamples {
  static final long SEED = 0x5EED_11735L;
  static final int MUTANTS = 1500;

  private static final Pattern AT = Pattern.compile("(\\d+):(\\d+): \\S.*");

  public record Seed(String name, byte[] bytes) {}

  /** The files of spec/litmus (if the repository has them) and the seeds of this test. */
  public static List<Seed> seeds() throws Exception {
    List<Seed> out = new ArrayList<>();
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isRegularFile(root.resolve("spec/models.txt"))) {
      root = root.getParent();
    }
    if (root != null && Files.isDirectory(root.resolve("spec/litmus"))) {
      // system-level files have their own parser and fuzz tests (SystemLitmusExamples,
      // SystemLibraryExamples); each of their mutants costs a GpuMem model, seconds, not milliseconds
      out.addAll(read(root.resolve("spec/litmus")).stream().filter(s -> !s.name.startsWith("system-")).toList());
    }
    URL res = LitmusParserFuzzExamples.class.getResource("/litmus-seeds");
    assertTrue(res != null, "test resources litmus-seeds/");
    List<Seed> own = read(Path.of(res.toURI()));
    assertTrue(own.size() >= 6, "at least 6 seeds");
    for (Seed s : own) {
      // The seeds of this test must be valid, else the mutants test little.
      LitmusParser.parse(s.name, new String(s.bytes, java.nio.charset.StandardCharsets.UTF_8));
    }
    out.addAll(own);
    return out;
  }

  private static List<Seed> read(Path dir) throws IOException {
    List<Seed> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        out.add(new Seed(dir.relativize(p).toString(), Files.readAllBytes(p)));
      }
    }
    return out;
  }

  @Test
  void mutants_parse_or_are_rejected_with_one_positioned_line(@TempDir Path dir) throws Exception {
    List<Seed> seeds = seeds();
    for (Seed s : seeds) {
      try {
        LitmusParser.parse(s.name, new String(s.bytes, java.nio.charset.StandardCharsets.UTF_8));
      } catch (BadInputException e) {
        System.out.println("litmus fuzz: seed " + s.name + " does not parse: " + e.getMessage());
      }
    }
    Map<String, int[]> byKind = new TreeMap<>(); // mutation -> {parsed, rejected}
    List<String> failures = new ArrayList<>();
    long[] slowest = {0};
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < MUTANTS; i++) {
        Seed seed = seeds.get(i % seeds.size());
        LitmusMutator.Mutant m = LitmusMutator.mutate(seed.bytes, new Random(SEED + i));
        Path file = dir.resolve("m" + i + ".litmus");
        Files.write(file, m.bytes());
        int[] counts = byKind.computeIfAbsent(m.mutation(), k -> new int[2]);
        String where = "mutant " + i + " (" + m.mutation() + " of " + seed.name + ", new Random(" + (SEED + i) + "))";
        long t0 = System.nanoTime();
        try {
          LitmusParser.parse(file);
          counts[0]++;
        } catch (BadInputException e) {
          counts[1]++;
          String problem = check(file, e.getMessage(), m.bytes());
          if (problem != null) {
            failures.add(where + ": " + problem + ": " + e.getMessage());
          }
        } catch (Throwable t) {
          failures.add(where + ": threw " + t);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        slowest[0] = Math.max(slowest[0], ms);
        if (ms >= 1000) {
          failures.add(where + ": took " + ms + " ms");
        }
      }
    });
    int parsed = byKind.values().stream().mapToInt(c -> c[0]).sum();
    int rejected = byKind.values().stream().mapToInt(c -> c[1]).sum();
    StringBuilder sb = new StringBuilder("litmus fuzz: " + MUTANTS + " mutants of " + seeds.size() + " seeds: " + parsed
        + " parsed, " + rejected + " rejected, slowest " + slowest[0] + " ms; parsed/total by mutation:");
    byKind.forEach((k, c) -> sb.append(' ').append(k).append(' ').append(c[0]).append('/').append(c[0] + c[1]));
    System.out.println(sb);
    if (!failures.isEmpty()) {
      fail(failures.size() + " bad outcomes, the first: " + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }
    assertTrue(rejected > MUTANTS / 2, "most mutants are rejected");
    assertTrue(parsed > 0, "some mutants still parse");
  }

  /** What is wrong with a rejection message, or null. */
  public static String check(Path file, String msg, byte[] bytes) {
    if (msg == null) {
      return "no message";
    }
    for (char c : msg.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        return "unescaped control character " + (int) c;
      }
    }
    if (msg.contains("internal error")) {
      return "internal error";
    }
    String prefix = file + ":";
    if (!msg.startsWith(prefix)) {
      return "does not start with the file";
    }
    String rest = msg.substring(prefix.length());
    if (rest.startsWith(" ") && rest.length() > 1 && rest.charAt(1) != ' ') {
      return null; // FILE: what (cannot be read, not UTF-8)
    }
    Matcher mt = AT.matcher(rest);
    if (!mt.matches()) {
      return "not FILE:LINE:COL: message";
    }
    long lines = 1;
    for (byte b : bytes) {
      lines += b == '\n' ? 1 : 0;
    }
    long line = Long.parseLong(mt.group(1));
    long col = Long.parseLong(mt.group(2));
    if (line < 1 || line > lines || col < 1 || col > bytes.length + 1) {
      return "position " + line + ":" + col + " outside the file";
    }
    return null;
  }

  @Test
  void the_mutator_is_deterministic() {
    byte[] seed = LitmusParserExamples.CONTRACT.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < 50; i++) {
      LitmusMutator.Mutant a = LitmusMutator.mutate(seed, new Random(i));
      LitmusMutator.Mutant b = LitmusMutator.mutate(seed, new Random(i));
      assertTrue(a.mutation().equals(b.mutation()) && java.util.Arrays.equals(a.bytes(), b.bytes()), "mutant " + i);
    }
    for (String m : LitmusMutator.MUTATIONS) {
      assertFalse(java.util.Arrays.equals(seed, LitmusMutator.apply(m, seed, new Random(1))) && !m.equals("swapLines"),
          m + " changes the contract example");
    }
  }
}
