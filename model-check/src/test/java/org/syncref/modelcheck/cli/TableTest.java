package org.syncref.modelcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command's table printer: alignment, widths, streaming rows, no trailing blanks. */
class TableTest {
  @Test
  void collectedRowsFitTheirColumns() {
    Table t = new Table().left("operation").right("size").right("ops/s").left("note");
    t.add("test_signaled, all signaled", 1, "12,345", "");
    t.add("add", 64, "9", "slow");
    assertEquals(String.join("\n",
        "operation                    size   ops/s  note",
        "test_signaled, all signaled     1  12,345",
        "add                            64       9  slow",
        ""), t.render());
  }

  @Test
  void streamedRowsUseTheFittedWidths() {
    Table t = new Table().left("model").left("expected").right("seconds", 8).left("verdict")
        .fit(0, List.of("counter_small_bug")).fit(1, List.of("invariant:Small"));
    assertEquals("model              expected          seconds  verdict", t.header());
    assertEquals("-".repeat(17 + 15 + 8 + 7 + 3 * 2), t.rule());
    assertEquals("counter            success               1.7  ok", t.line("counter", "success", "1.7", "ok"));
    // a cell wider than its column shifts the rest of its row, never cuts it
    assertEquals("a_much_longer_model_name  success               1.7  ok", t.line("a_much_longer_model_name", "success", "1.7", "ok"));
    assertEquals("counter            -                     1.7  -", t.line("counter", null, "1.7", null));
  }

  @Test
  void aRowMustHaveOneCellPerColumn() {
    Table t = new Table().left("a").left("b");
    assertThrows(IllegalArgumentException.class, () -> t.add("only one"));
  }
}
