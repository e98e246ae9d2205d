package org.syncref.conformance.resv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.ResvConformance;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.ActionInstance;

/** spec/MAPPING.md's DmaResv table lists exactly the actions of ResvNext. */
class ResvMappingExamples {
  @Test
  void the_mapping_lists_every_action_of_ResvNext() throws Exception {
    String md = Files.readString(Checkout.require().resolve("spec/MAPPING.md"));
    String section = md.substring(md.indexOf("## DmaResv"));
    section = section.substring(0, section.indexOf("| ID |"));
    Set<String> mapped = new TreeSet<>();
    Matcher m = Pattern.compile("^\\|[^|]*\\| `(\\w+)\\(", Pattern.MULTILINE).matcher(section);
    while (m.find()) {
      mapped.add(m.group(1));
    }
    mapped.addAll(Set.of("ContextAllocStep", "FenceInitStep", "SignalStep"));
    Set<String> next = new TreeSet<>();
    for (ActionInstance a : ResvConformance.evaluator().actions()) {
      next.add(a.name());
    }
    assertEquals(next, mapped, "spec/MAPPING.md vs ResvNext of DmaResv");
  }
}
