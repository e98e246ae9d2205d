package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.syncref.modelcheck.Checkout;

/**
 * spec/MAPPING.md's named properties each have a {@code _bug} model in spec/models.txt that is
 * expected to fail them. (The component tables, the spec's actions and the worlds' dispatch are
 * tied together by conformance.vocab.VocabularyTest.)
 */
class MappingTest {
  @Test
  void every_named_property_has_a_bug_model_in_the_manifest() throws IOException {
    String md = Files.readString(Checkout.require().resolve("spec/MAPPING.md"));
    String manifest = Files.readString(Checkout.require().resolve("spec/models.txt"));
    Matcher m = Pattern.compile("^\\| [A-Z-]+ \\| `(\\w+)` \\|.*\\| `(\\w+_bug)` \\|$", Pattern.MULTILINE).matcher(md);
    int n = 0;
    while (m.find()) {
      n++;
      assertTrue(manifest.contains(m.group(2)), m.group(2) + " (for " + m.group(1) + ") is not in spec/models.txt");
      assertTrue(manifest.contains(":" + m.group(1) + " "), "no model in spec/models.txt expects " + m.group(1) + " to fail");
    }
    assertTrue(n >= 12, "expected a row per named property, found " + n);
  }
}
