package org.syncref.litmus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.modelcheck.Checkout;

/**
 * The generated litmus model checks LitmusTypeOK (DmaResv's ResvTypeOK and WwCalls' WwTypeOK) in
 * every state the explorer reaches. Negative control: a copy of the spec whose ww_mutex_unlock
 * leaves an ill-typed owner (only WwTypeOK can see it: the file has no resv) makes the
 * exploration fail, naming the invariant.
 */
class LitmusTypeInvariantExamples {
  static final String FILE = """
      litmus ww-lock-unlock
      ww_class wd wait-die
      ww_mutex m class wd
      r0 = ww_mutex_lock(m, NULL)
      ww_mutex_unlock(m)
      """;

  @Test
  void the_generated_config_checks_the_type_invariants() throws Exception {
    Litmus l = LitmusParser.parse("x.litmus", FILE);
    assertTrue(SpecModel.config(l, "none", "production").contains("INVARIANT LitmusTypeOK"));
  }

  @Test
  void the_spec_explores_the_file_within_its_types(@TempDir Path scratch) throws Exception {
    Litmus l = LitmusParser.parse("x.litmus", FILE);
    SpecModel model = SpecModel.load(l, Checkout.require().resolve("spec"), scratch, "none", "production");
    SpecExplorer.Result r = new SpecExplorer(model).explore();
    assertFalse(r.outcomes.isEmpty());
  }

  @Test
  void an_ill_typed_ww_state_fails_the_exploration(@TempDir Path tmp) throws Exception {
    Path spec = tmp.resolve("spec");
    for (String d : List.of("Litmus", "DmaResv", "DmaFence", "WwMutex")) {
      Path from = Checkout.require().resolve("spec").resolve(d);
      Files.createDirectories(spec.resolve(d));
      try (var files = Files.list(from)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".tla")).toList()) {
          Files.copy(f, spec.resolve(d).resolve(f.getFileName()));
        }
      }
    }
    Path ww = spec.resolve("WwMutex/WwCalls.tla");
    String text = Files.readString(ww);
    String unlock = text.substring(text.indexOf("\nUnlock(t, l) =="));
    String good = "lockOwner' = [lockOwner EXCEPT ![l] = None]";
    assertTrue(unlock.contains(good), "WwCalls' Unlock releases the owner as expected here");
    Files.writeString(ww, text.replace(unlock, unlock.replace(good, "lockOwner' = [lockOwner EXCEPT ![l] = 42]")));

    Litmus l = LitmusParser.parse("x.litmus", FILE);
    SpecModel model = SpecModel.load(l, spec, tmp.resolve("scratch"), "none", "production");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SpecExplorer(model).explore());
    assertTrue(e.getMessage().contains("LitmusTypeOK") && e.getMessage().contains("ww_mutex_unlock(m)"),
        e.getMessage());
  }
}
