package org.syncref.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.ActionInstance;

/**
 * The litmus calls are declared once, in {@link Calls.Fn}; spec/MAPPING.md's Litmus table is
 * generated from them, and every declared action exists: a plain call's component action in its
 * component's next-state relation (read from TLC), every call's Litmus action in the model
 * {@code syncref check} generates (Litmus.tla's hand-written actions and the generated wrappers).
 */
class LitmusMappingExamples {
  private static final Path MAPPING = Checkout.require().resolve("spec/MAPPING.md");

  /** The command that rewrites the table from the declarations. */
  static final String REGENERATE = "mvn -o -pl litmus -am test -Dtest=LitmusMappingExamples"
      + " -Dsurefire.failIfNoSpecifiedTests=false -Dlitmus.table.write=true";

  /** The text between the table's markers in MAPPING.md. */
  static String tableInMapping(String md) {
    int from = md.indexOf(Calls.TABLE_BEGIN);
    int to = md.indexOf(Calls.TABLE_END);
    assertTrue(from >= 0 && to > from, "spec/MAPPING.md has the markers " + Calls.TABLE_BEGIN + " ... "
        + Calls.TABLE_END + " in its Litmus section");
    return md.substring(from + Calls.TABLE_BEGIN.length() + 1, to);
  }

  @Test
  void the_litmus_table_of_mapping_md_is_the_one_the_declarations_produce() throws IOException {
    String md = Files.readString(MAPPING);
    String table = tableInMapping(md);
    String want = Calls.mappingTable();
    if (!table.equals(want) && Boolean.getBoolean("litmus.table.write")) {
      Files.writeString(MAPPING, md.replace(Calls.TABLE_BEGIN + "\n" + table, Calls.TABLE_BEGIN + "\n" + want));
      return;
    }
    assertEquals(want, table, "spec/MAPPING.md's Litmus table is not what Calls.Fn declares; regenerate it with: "
        + REGENERATE);
    assertTrue(md.indexOf(Calls.TABLE_BEGIN) > md.indexOf("## Litmus"), "the table is in the Litmus section");
  }

  /** A file that makes every call once (one object of each kind). */
  static Litmus everyCall() throws Exception {
    StringBuilder sb = new StringBuilder("""
        litmus every-call
        context c1
        fence f1 on c1
        resv r
        ww_class wd wound-wait
        ww_mutex m class wd
        ww_acquire_init(x, wd)
        """);
    for (Calls.Fn fn : Calls.Fn.values()) {
      sb.append(fn.kernelName()).append('(');
      for (int i = 0; i < fn.params().size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(switch (fn.params().get(i)) {
          case FENCE -> "f1";
          case RESV -> "r";
          case MUTEX -> "m";
          case CLASS -> "wd";
          case CTX, CTX_OR_NULL -> "x";
          case CONTEXT -> "c1";
          case USAGE -> "WRITE";
          case INT -> "1";
          case ERROR -> "-EIO";
          case BOOL -> "false";
          case CB -> "cb";
        });
      }
      sb.append(")\n");
    }
    return LitmusParser.parse("every-call.litmus", sb.toString());
  }

  @Test
  void every_call_has_its_action_in_the_generated_model(@TempDir Path scratch) throws Exception {
    Litmus l = everyCall();
    SpecModel model = SpecModel.load(l, Checkout.require().resolve("spec"), scratch, "none", "production");
    Set<String> names = new TreeSet<>();
    model.ev.actions().forEach(a -> names.add(a.name()));
    for (Litmus.Stmt s : l.threads().get(0).body()) {
      Litmus.Call c = ((Litmus.CallStmt) s).call();
      ActionInstance a = model.action("P0", c);
      assertNotNull(a, c + ": the generated model has no " + Calls.actionText(c.fn()) + " (actions: " + names + ")");
      assertEquals(c.fn().action(), a.name());
    }
    // the hand-written actions the explorer takes besides the calls'
    for (String step : List.of("LContextAlloc", "LFenceInit", "LWaitWake", "LWaitExpire", "LWwWaitAcquire",
        "LWwWaitDie", "LWwWaitSteal", "LWwWaitHandoff", "LAddFenceKernel")) {
      assertTrue(names.contains(step), step + " is not in LitmusNext");
    }
    // every action of the model is a declared call's or one of those steps
    Set<String> declared = new TreeSet<>(List.of("LContextAlloc", "LFenceInit", "LWaitWake", "LWaitExpire",
        "LWwWaitAcquire", "LWwWaitDie", "LWwWaitSteal", "LWwWaitHandoff", "LAddFenceKernel"));
    for (Calls.Fn fn : Calls.Fn.values()) {
      declared.add(fn.action());
    }
    Set<String> extra = new TreeSet<>(names);
    extra.removeAll(declared);
    assertEquals(Set.of(), extra, "actions of the generated model that no call declares");
  }

  /**
   * A plain call's component action is a disjunct of its component's next-state relation:
   * DmaFence's {@code Next}, DmaResv's {@code ResvNext}, read from the spec text (TLC's evaluator
   * holds one spec per JVM: the generated model above is the one read from TLC). WwCalls has no
   * next-state relation of its own (it is the call-level library of WwMutex.tla); that its
   * actions exist is checked by the generated model's parse (Litmus.tla's {@code WW!Action} must
   * resolve) in the test above.
   */
  @Test
  void every_plain_call_runs_an_action_of_its_components_next_state_relation() throws IOException {
    Set<String> fence = disjuncts("spec/DmaFence/DmaFence.tla", "Next");
    Set<String> resv = disjuncts("spec/DmaResv/DmaResv.tla", "ResvNext");
    int checked = 0;
    for (Calls.Fn fn : Calls.Fn.values()) {
      Calls.Spec s = fn.spec();
      Set<String> next = switch (s.component()) {
        case DMA_FENCE -> fence;
        case DMA_RESV -> resv;
        default -> null;
      };
      if (next != null) {
        assertTrue(next.contains(s.action()), fn.kernelName() + ": " + s.action() + " is not an action of "
            + s.component().module() + "'s next-state relation " + next);
        checked++;
      }
    }
    assertTrue(checked >= 15, "checked " + checked);
  }

  /** The operators applied in the definition {@code name ==} of a spec (up to its blank line). */
  static Set<String> disjuncts(String file, String name) throws IOException {
    String tla = Files.readString(Checkout.require().resolve(file));
    int from = tla.indexOf("\n" + name + " ==");
    assertTrue(from >= 0, file + " defines " + name);
    int to = tla.indexOf("\n\n", from + 1);
    Set<String> names = new TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b([A-Z]\\w*)\\(")
        .matcher(tla.substring(from, to < 0 ? tla.length() : to));
    while (m.find()) {
      names.add(m.group(1));
    }
    assertTrue(names.size() > 5, name + " parsed: " + names);
    return names;
  }
}
