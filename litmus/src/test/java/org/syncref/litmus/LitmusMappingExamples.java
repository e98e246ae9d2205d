package org.syncref.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.syncref.modelcheck.Checkout;

/**
 * spec/MAPPING.md's Litmus table, Litmus.tla's {@code LitmusNext} and the litmus front end
 * ({@link Calls.Fn}) name the same calls and actions: every call has one row, each row's action
 * is the one the front end drives and is a disjunct of LitmusNext, and every action of LitmusNext
 * is in the table or is named as setup or a wake-up step.
 */
class LitmusMappingExamples {
  /** kernel function -> TLA+ action, from the table. */
  static Map<String, String> table() throws IOException {
    String md = Files.readString(Checkout.require().resolve("spec/MAPPING.md"));
    int from = md.indexOf("## Litmus");
    assertTrue(from >= 0, "MAPPING.md has a Litmus section");
    int to = md.indexOf("\n## ", from + 1);
    String section = md.substring(from, to < 0 ? md.length() : to);
    Map<String, String> rows = new TreeMap<>();
    Matcher m = Pattern.compile("^\\| `(\\w+)` \\| `(\\w+)\\(", Pattern.MULTILINE).matcher(section);
    while (m.find()) {
      String old = rows.put(m.group(1), m.group(2));
      assertTrue(old == null, "one row for " + m.group(1));
    }
    return rows;
  }

  /** The actions LitmusNext applies. */
  static Set<String> actionsOfNext() throws IOException {
    String tla = Files.readString(Checkout.require().resolve("spec/Litmus/Litmus.tla"));
    int from = tla.indexOf("LitmusNext ==");
    assertTrue(from >= 0, "Litmus.tla defines LitmusNext");
    int to = tla.indexOf("\n\n", from);
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b(L[A-Z]\\w*)\\(").matcher(tla.substring(from, to < 0 ? tla.length() : to));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void every_call_has_its_row_and_the_row_names_the_action_the_front_end_drives() throws IOException {
    Map<String, String> rows = table();
    Set<String> next = actionsOfNext();
    for (Calls.Fn fn : Calls.Fn.values()) {
      assertTrue(rows.containsKey(fn.kernelName()), "MAPPING.md Litmus table lacks " + fn.kernelName());
      assertEquals(fn.action(), rows.get(fn.kernelName()), "the action of " + fn.kernelName());
      assertTrue(next.contains(fn.action()), fn.action() + " is not in LitmusNext");
    }
    assertEquals(Calls.Fn.values().length, rows.size(), "rows for calls the front end does not know: " + rows.keySet());
  }

  @Test
  void every_action_of_litmus_next_is_mapped() throws IOException {
    Set<String> mapped = new TreeSet<>(table().values());
    // Setup (declarations), the wake-up steps of sleeping calls and the kernel's continuation of a
    // contract breach, named in the section's text.
    mapped.addAll(Set.of("LContextAlloc", "LFenceInit", "LWaitWake", "LWaitExpire", "LWwWaitAcquire", "LWwWaitDie",
        "LWwWaitSteal", "LWwWaitHandoff", "LAddFenceKernel"));
    Set<String> next = actionsOfNext();
    assertTrue(next.size() > 25, "LitmusNext parsed: " + next);
    Set<String> unmapped = new TreeSet<>(next);
    unmapped.removeAll(mapped);
    assertEquals(Set.of(), unmapped, "actions of LitmusNext without a row in MAPPING.md");
    String md = Files.readString(Checkout.require().resolve("spec/MAPPING.md"));
    for (String wake : Set.of("LWaitWake", "LWaitExpire", "LWwWaitAcquire", "LWwWaitDie", "LWwWaitSteal",
        "LWwWaitHandoff", "LAddFenceKernel")) {
      assertTrue(md.contains("`" + wake + "`"), "MAPPING.md names " + wake);
    }
  }
}
