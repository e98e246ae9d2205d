package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.syncref.modelcheck.Checkout;

/**
 * spec/MAPPING.md's named properties each have a {@code _bug} model in spec/models.txt that is
 * expected to fail them. A row is a property row when its first cell is a stable ID (optionally
 * followed by a note in parentheses: "MEM-PT-BOOKKEEP (`GpuMemVm.tla`)"), its second cell starts
 * with the TLA+ name in backticks, and its last cell lists one or more {@code _bug} models: every
 * one of them must be in the manifest, and at least one must be expected to fail that name.
 * (The component tables, the spec's actions and the worlds' dispatch are tied together by
 * conformance.vocab.VocabularyTest.)
 */
class MappingTest {
  private static final Pattern ROW = Pattern.compile(
      "^\\| ([A-Z]+(?:-[A-Z0-9]+)+)(?: \\([^|]*\\))? \\| `(\\w+)`[^|]*\\|.*\\| ((?:`\\w+_bug`(?:, )?)+) \\|$",
      Pattern.MULTILINE);
  private static final Pattern BUG = Pattern.compile("`(\\w+_bug)`");

  @Test
  void every_named_property_has_a_bug_model_in_the_manifest() throws IOException {
    String md = Files.readString(Checkout.require().resolve("spec/MAPPING.md"));
    Map<String, String> expected = new HashMap<>();
    for (String line : Files.readAllLines(Checkout.require().resolve("spec/models.txt"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 6 && !f[0].startsWith("#")) {
        expected.put(f[0], f[5]);
      }
    }
    Matcher m = ROW.matcher(md);
    int n = 0;
    while (m.find()) {
      n++;
      String id = m.group(1);
      String name = m.group(2);
      boolean fails = false;
      Matcher b = BUG.matcher(m.group(3));
      while (b.find()) {
        String model = b.group(1);
        assertTrue(expected.containsKey(model), model + " (for " + id + ", " + name + ") is not in spec/models.txt");
        fails |= expected.get(model).endsWith(":" + name);
      }
      assertTrue(fails, "none of " + m.group(3) + " is expected in spec/models.txt to fail " + name + " (" + id + ")");
    }
    assertTrue(n >= 40, "expected a row per named property, found " + n);
  }
}
