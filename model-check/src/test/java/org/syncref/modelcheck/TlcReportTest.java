package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code -tool} output parser, fed with captured TLC 2.18 output. */
class TlcReportTest {
  private static String msg(int code, int severity, String body) {
    return "@!@!@STARTMSG " + code + ":" + severity + " @!@!@\n" + body + "\n@!@!@ENDMSG " + code + " @!@!@\n";
  }

  private static final String HEAD = msg(2262, 0, "TLC2 Version 2.18 of 20 March 2023")
      + msg(2220, 0, "Starting SANY...")
      + "Parsing file /tmp/Counter.tla\nSemantic processing of module Counter\n"
      + msg(2219, 0, "SANY finished.")
      + msg(2185, 0, "Starting... (2026-11-21 17:08:57)");

  private static final String TRACE = msg(2121, 1, "The behavior up to this point is:")
      + msg(2217, 4, "1: <Initial predicate>\n/\\ hits = (p1 :> 0 @@ p2 :> 0)\n/\\ x = 0\n")
      + msg(2217, 4, "2: <Inc line 7, col 14 to line 9, col 50 of module Counter>\n/\\ hits = (p1 :> 1 @@ p2 :> 0)\n/\\ x = 1\n")
      + msg(2217, 4, "3: <Dec line 10, col 11 to line 10, col 50 of module Counter>\n/\\ hits = (p1 :> 1 @@ p2 :> 0)\n/\\ x = 0\n");

  private static final String TAIL = msg(2200, 0,
          "Progress(3) at 2026-11-21 17:10:04: 6 states generated (462 s/min), 6 distinct states found (462 ds/min), 3 states left on queue.")
      + msg(2199, 0, "6 states generated, 6 distinct states found, 3 states left on queue.")
      + msg(2194, 0, "The depth of the complete state graph search is 3.")
      + msg(2186, 0, "Finished in 786ms at (2026-11-21 17:10:04)");

  @Test
  void success() {
    TlcReport r = TlcReport.parse(HEAD + msg(2193, 0, "Model checking completed. No error has been found.\n"
        + "  Estimates of the probability that TLC did not check all reachable states")
        + msg(2200, 0, "Progress(17) at 2026-11-21 17:23:00: 1,301 states generated (9,066 s/min), 1,105 distinct states found (3,162 ds/min), 0 states left on queue.")
        + msg(2199, 0, "1,301 states generated, 1,105 distinct states found, 0 states left on queue.")
        + msg(2194, 0, "The depth of the complete state graph search is 17."));
    assertEquals(TlcReport.Kind.SUCCESS, r.kind());
    assertEquals("success", r.outcomeText());
    assertEquals(1301L, r.generated());
    assertEquals(1105L, r.distinct());
    assertEquals(17, r.depth());
    assertEquals(1105L, r.progressDistinct());
    assertTrue(r.trace().isEmpty());
    assertTrue(r.matches(new Expected.Success()));
    assertEquals("TLC2 Version 2.18 of 20 March 2023", r.version());
  }

  @Test
  void invariantViolation() {
    TlcReport r = TlcReport.parse(HEAD + msg(2110, 1, "Invariant Small is violated.") + TRACE + TAIL);
    assertEquals(TlcReport.Kind.INVARIANT, r.kind());
    assertEquals("Small", r.violatedName());
    assertEquals("invariant:Small", r.outcomeText());
    assertTrue(r.matches(new Expected.Invariant("Small")));
    assertFalse(r.matches(new Expected.Invariant("Other")));
    assertEquals(3, r.trace().size());
    TraceState s = r.trace().get(1);
    assertEquals(2, s.number());
    assertEquals("Inc", s.action());
    assertEquals(Map.of("hits", "(p1 :> 1 @@ p2 :> 0)", "x", "1"), s.vars());
    assertEquals(List.of("hits", "x"), List.copyOf(s.vars().keySet()));
    assertTrue(r.trace().get(0).isInitial());
    assertEquals("Dec", r.trace().get(2).action());
    assertEquals(6L, r.distinct());
  }

  @Test
  void initialStateViolation() {
    TlcReport r = TlcReport.parse(HEAD + msg(2107, 1, "Invariant Small is violated by the initial state:\n/\\ x = 7\n/\\ y = 1") + TAIL);
    assertEquals("invariant:Small", r.outcomeText());
    assertEquals(1, r.trace().size());
    assertEquals(Map.of("x", "7", "y", "1"), r.trace().get(0).vars());
  }

  @Test
  void actionPropertyViolation() {
    TlcReport r = TlcReport.parse(HEAD + msg(2112, 1, "Action property Mono is violated.") + TRACE + TAIL);
    assertEquals("property:Mono", r.outcomeText());
    assertTrue(r.matches(new Expected.Property("Mono")));
  }

  @Test
  void temporalPropertyViolationHasNoName() {
    TlcReport r = TlcReport.parse(HEAD + msg(2116, 1, "Temporal properties were violated.") + TRACE
        + msg(2218, 4, "4: Stuttering") + TAIL);
    assertEquals("property:?", r.outcomeText());
    assertNull(r.violatedName());
    assertFalse(r.matches(new Expected.Property("Live")), "unnamed: matches no property");
    assertEquals(4, r.trace().size());
    assertEquals("Stuttering", r.trace().get(3).action());
    assertTrue(r.trace().get(3).vars().isEmpty());
    r.nameTemporalViolation(List.of("Live", "Other"));
    assertEquals("property:?", r.outcomeText(), "several properties: still unnamed");
    r.nameTemporalViolation(List.of("Live"));
    assertEquals("property:Live", r.outcomeText());
    assertTrue(r.matches(new Expected.Property("Live")));
    assertFalse(r.matches(new Expected.Property("Other")));
  }

  @Test
  void configPropertiesAreReadFromTheCfg() {
    assertEquals(List.of("RestartUnlocked", "AllSubmit", "AllFinish"), TlcReport.configProperties(
        "\\* a comment PROPERTY Nope\nCONSTANTS\n  N = 3\nSPECIFICATION FairSpec\nINVARIANTS\n  Inv\n"
        + "PROPERTIES\n    RestartUnlocked\n    AllSubmit \\* why\n    AllFinish\nCHECK_DEADLOCK FALSE\n"));
    assertEquals(List.of("Live"), TlcReport.configProperties("(* block\nPROPERTY Nope *)\nPROPERTY Live\n"));
    assertEquals(List.of(), TlcReport.configProperties("INVARIANT TypeOK\n"));
  }

  @Test
  void deadlock() {
    TlcReport r = TlcReport.parse(HEAD + msg(2114, 1, "Deadlock reached.") + TRACE + TAIL);
    assertEquals(TlcReport.Kind.DEADLOCK, r.kind());
    assertTrue(r.matches(new Expected.Deadlock()));
    assertFalse(r.matches(new Expected.Success()));
  }

  @Test
  void configErrorIsAnError() {
    TlcReport r = TlcReport.parse(HEAD + msg(2229, 1, "The invariant TypeOK specified in the configuration file\nis not defined in the specification.")
        + msg(2186, 0, "Finished in 346ms at (2026-11-21 17:10:17)"));
    assertEquals(TlcReport.Kind.ERROR, r.kind());
    assertEquals("error", r.outcomeText());
    assertEquals(List.of("The invariant TypeOK specified in the configuration file\nis not defined in the specification."), r.errors());
    assertFalse(r.matches(new Expected.Success()));
  }

  @Test
  void parseErrorKeepsPlainLines() {
    ToolOutputParser p = new ToolOutputParser();
    TlcReport r = new TlcReport();
    String text = HEAD + "***Parse Error***\nEncountered \"==\" at line 3, column 7\n"
        + msg(3002, 1, "Parsing or semantic analysis failed.");
    for (String line : text.split("\n")) {
      ToolMessage m = p.accept(line);
      if (m != null) {
        r.accept(m);
      }
    }
    assertEquals(TlcReport.Kind.ERROR, r.kind());
    assertEquals("Parsing or semantic analysis failed.", r.errors().get(0));
    assertTrue(p.plainTail().contains("***Parse Error***"));
  }

  @Test
  void noResultIsAnError() {
    assertEquals(TlcReport.Kind.ERROR, TlcReport.parse(HEAD).kind());
  }

  @Test
  void multiLineValuesAndSingleVariable() {
    TraceState s = TraceState.parse("2: <Step line 1, col 1 to line 2, col 2 of module M>\n"
        + "/\\ q = << [a |-> 1,\n      b |-> 2] >>\n/\\ y = {}");
    assertEquals(Map.of("q", "<< [a |-> 1,\n      b |-> 2] >>", "y", "{}"), s.vars());
    TraceState one = TraceState.parse("1: <Initial predicate>\nx = 0");
    assertEquals(Map.of("x", "0"), one.vars());
  }
}
