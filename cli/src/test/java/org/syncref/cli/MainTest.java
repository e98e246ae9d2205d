package org.syncref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The syncref command line: its subcommands, their generated help, bad input, and model-check end to end. */
class MainTest {
  private static final Path SPECS =
      Path.of(System.getProperty("syncref.root", ".."), "model-check/src/test/resources/specs").toAbsolutePath();

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every command below syncref by its words ("bench resv"), with its command line. */
  private static Map<String, CommandLine> commands() {
    Map<String, CommandLine> all = new LinkedHashMap<>();
    collect("", Main.commandLine(System.out, System.err), all);
    return all;
  }

  private static void collect(String words, CommandLine cl, Map<String, CommandLine> all) {
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      if (!e.getKey().equals("help")) {
        String w = (words + " " + e.getKey()).strip();
        all.put(w, e.getValue());
        collect(w, e.getValue(), all);
      }
    }
  }

  @Test
  void helpListsTheSubcommandsOfEveryModule() {
    for (List<String> args : List.of(List.<String>of(), List.of("help"), List.of("--help"), List.of("-h"))) {
      Run r = run(args.toArray(new String[0]));
      assertEquals(0, r.code, r.err);
      assertTrue(r.out.startsWith("usage: syncref "), r.out);
      for (String sub : List.of("model-check", "check", "kernel-check", "bench", "simulate")) {
        assertTrue(r.out.contains("\n  " + sub + " "), "syncref " + args + " lists " + sub + ":\n" + r.out);
      }
      assertTrue(r.out.contains("Exit codes: 0 ok, 1 a check failed, 2 bad input, 3 internal error"), r.out);
    }
    assertEquals(List.of("model-check", "check", "kernel-check", "bench", "simulate", "help"),
        List.copyOf(Main.commandLine(System.out, System.err).getSubcommands().keySet()));
    assertEquals(List.of("model-check", "check", "kernel-check", "bench", "bench trace-check", "bench resv",
        "bench ww", "bench hw", "simulate"), List.copyOf(commands().keySet()));
  }

  @Test
  void everySubcommandsHelpListsEachOfItsOptions() {
    for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
      String[] words = c.getKey().split(" ");
      List<String> args = new ArrayList<>(List.of(words));
      args.add("--help");
      Run r = run(args.toArray(new String[0]));
      assertEquals(0, r.code, c.getKey() + ": " + r.err);
      assertEquals("", r.err, c.getKey());
      assertTrue(r.out.contains("usage: syncref " + c.getKey() + " "), r.out);
      List<OptionSpec> options = c.getValue().getCommandSpec().options();
      assertTrue(c.getKey().equals("bench") || !options.isEmpty(), c.getKey() + " has options");
      for (OptionSpec o : options) {
        for (String name : o.names()) {
          assertTrue(r.out.contains(name), "syncref " + c.getKey() + " --help lists " + name + ":\n" + r.out);
        }
        assertTrue(!o.description()[0].isBlank(), c.getKey() + " " + o.longestName() + " is described");
      }
      for (PositionalParamSpec p : c.getValue().getCommandSpec().positionalParameters()) {
        assertTrue(r.out.contains(p.paramLabel()), "syncref " + c.getKey() + " --help lists " + p.paramLabel());
      }
      if (words.length == 1) {
        assertEquals(r.out, run("help", words[0]).out, "syncref help " + c.getKey());
      }
    }
    Run r = run("bench", "resv", "--help");
    assertTrue(r.out.contains("JMH's options") && r.out.contains("-wi <int>"), "JMH's own help follows ours:\n" + r.out);
    r = run("check", "--help");
    assertTrue(r.out.contains("--impl-max=N") && r.out.contains("(default 300)") && r.out.contains("docs/litmus.md"),
        r.out);
  }

  @Test
  void badInputIsOneLineAndExitCode2() {
    for (String cmd : commands().keySet()) {
      List<String> args = new ArrayList<>(List.of(cmd.split(" ")));
      args.add("--bogus");
      Run r = run(args.toArray(new String[0]));
      assertEquals(2, r.code, cmd + ": " + r.out + r.err);
      assertEquals(1, r.err.lines().count(), cmd + ":\n" + r.err);
      assertTrue(r.err.startsWith("syncref " + cmd + ": ") && r.err.contains("bogus"), r.err);
    }
    Map<List<String>, String> bad = new LinkedHashMap<>();
    bad.put(List.of("check", "--bogus", "x.litmus"), "syncref check: unknown option '--bogus' (see syncref check --help)");
    bad.put(List.of("check", "--impl-max", "x", "x.litmus"), "syncref check: invalid value for option '--impl-max':");
    bad.put(List.of("check", "--impl-max", "0", "x.litmus"), "syncref check: --impl-max needs a positive number");
    bad.put(List.of("check", "--impl-bug", "NO_SUCH_BUG", "x.litmus"), "expected one of [");
    bad.put(List.of("check", "--build", "debug", "x.litmus"), "syncref check: unknown build 'debug' (expected one of");
    bad.put(List.of("check"), "syncref check: missing required parameter: 'FILE.litmus|DIR'");
    bad.put(List.of("check", "x.litmus", "--impl-max"), "syncref check: missing required parameter for option"
        + " '--impl-max'");
    bad.put(List.of("kernel-check", "--trials", "0", "x.litmus"), "--trials needs a number from 1 to 100000");
    bad.put(List.of("kernel-check", "--kernel", "six", "x.litmus"), "--kernel needs a version like 6.12");
    bad.put(List.of("model-check", "--workers", "many"), "--workers: a positive number or 'auto' expected");
    bad.put(List.of("bogus"), "syncref: unknown subcommand 'bogus': one of model-check, check");
    bad.put(List.of("help", "bogus"), "syncref: unknown subcommand 'bogus': one of model-check, check");
    bad.put(List.of("bench"), "syncref bench: expected a benchmark name (trace-check, resv, ww, hw), got nothing");
    bad.put(List.of("bench", "trace-check", "--traces", "0"), "--traces expects a positive number, got 0");
    bad.put(List.of("bench", "resv", "-wi", "many"), "syncref bench resv: ");
    bad.put(List.of("bench", "ww", "--threads", "x"), "syncref bench ww: invalid value for option '--threads'");
    for (Map.Entry<List<String>, String> b : bad.entrySet()) {
      Run r = run(b.getKey().toArray(new String[0]));
      assertEquals(2, r.code, b.getKey() + ": " + r.out + r.err);
      assertEquals(1, r.err.lines().count(), b.getKey() + ":\n" + r.err);
      assertTrue(r.err.contains(b.getValue()), b.getKey() + ": expected '" + b.getValue() + "' in " + r.err);
      assertTrue(!r.err.contains("\tat "), r.err);
    }
  }

  @Test
  void cliRecordsAndReportsBadInput(@TempDir Path tmp) throws Exception {
    Path m = tmp.resolve("models.txt");
    Files.writeString(m, Files.readString(SPECS.resolve("models-test.txt")).replace("45      7", "-       -"));
    Run r = run("model-check", "--record", "--manifest", m.toString(), "--spec-root", SPECS.toString(),
        "counter", "counter_small_bug");
    assertEquals(0, r.code, r.out + r.err);
    assertTrue(r.out.contains("model              expected         actual           distinct states  depth   seconds"
        + "  verdict\n-----"), 
        r.out);
    assertTrue(Files.readString(m).contains(
        "counter                 Counter  MCCounter  MCCounter.cfg                 ci    success           45      7\n"));

    Files.writeString(m, "a Counter MCCounter MCCounter.cfg sometimes success 1 1\n");
    r = run("model-check", "--manifest", m.toString());
    assertEquals(2, r.code);
    assertEquals(m + ":1: mode ci, deep or conformance expected, found 'sometimes'\n", r.err);
  }
}
