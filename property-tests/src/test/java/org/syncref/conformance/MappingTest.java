package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.ActionInstance;

/**
 * spec/MAPPING.md, the spec's Next and the Java harness agree: every action of Next has a row and
 * a Java counterpart, and every row names an action of Next.
 */
class MappingTest {
  static Set<String> actionsOfNext() {
    Set<String> names = new TreeSet<>();
    for (ActionInstance a : Conformance.evaluator().actions()) {
      names.add(a.name());
    }
    return names;
  }

  static Set<String> actionsInMapping() throws IOException {
    String md = Files.readString(Checkout.require().resolve("spec/MAPPING.md"));
    String section = md.substring(md.indexOf("## DmaFence"), md.indexOf("## Named properties"));
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("^\\|[^|]*\\| `(\\w+)\\(", Pattern.MULTILINE).matcher(section);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void every_action_of_next_has_a_mapping_row_and_every_row_an_action() throws IOException {
    assertEquals(actionsOfNext(), actionsInMapping(), "spec/MAPPING.md vs Next of DmaFence");
  }

  @Test
  void every_action_of_next_has_a_java_counterpart() {
    for (String name : actionsOfNext()) {
      try (FenceWorld w = new FenceWorld()) {
        try {
          w.apply(name, List.of());
        } catch (IllegalArgumentException e) {
          assertTrue(!e.getMessage().startsWith("no Java counterpart"), e.getMessage());
        } catch (RuntimeException expectedForMissingArguments) {
          // the action is known; its arguments were missing
        }
      }
    }
  }

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
