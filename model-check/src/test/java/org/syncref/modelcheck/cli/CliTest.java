package org.syncref.modelcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.syncref.modelcheck.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The exit codes and error lines every syncref command gets from {@link Cli}. */
class CliTest {
  @Command(name = "demo", description = "a command for the test")
  static final class Demo implements Callable<Integer> {
    @Option(names = "--fail", description = "what to do: ok, check, bad, crash")
    String what = "ok";

    @Option(names = "--count", paramLabel = "N", description = "a number")
    int count;

    @Override
    public Integer call() throws Exception {
      return switch (what) {
        case "check" -> 1;
        case "bad" -> throw new BadInputException("syncref demo: x.txt:3: a number expected");
        case "crash" -> throw new IllegalStateException("cannot happen");
        default -> 0;
      };
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.execute(new Demo(), List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void exitCodes() {
    assertEquals(new Run(0, "", ""), run());
    assertEquals(new Run(1, "", ""), run("--fail", "check"));
    assertEquals(new Run(2, "", "syncref demo: x.txt:3: a number expected\n"), run("--fail", "bad"));
    Run r = run("--fail", "crash");
    assertEquals(3, r.code);
    // without SYNCREF_DEBUG (as under surefire): the message and the hint, no stack trace
    if (System.getenv("SYNCREF_DEBUG") == null) {
      assertEquals("syncref demo: IllegalStateException: cannot happen\n(set SYNCREF_DEBUG=1 for the stack trace)\n", r.err);
    }
  }

  @Test
  void badParametersAreOneLineNamingWhatWasExpected() {
    assertEquals(new Run(2, "", "syncref demo: unknown option '--fial', did you mean --fail? (see syncref demo --help)\n"),
        run("--fial", "x"));
    assertEquals(new Run(2, "", "syncref demo: invalid value for option '--count': 'many' is not an int"
        + " (see syncref demo --help)\n"), run("--count", "many"));
    assertEquals(new Run(2, "", "syncref demo: missing required parameter for option '--count' (N)"
        + " (see syncref demo --help)\n"), run("--count"));
    assertEquals(new Run(2, "", "syncref demo: unexpected argument 'extra' (see syncref demo --help)\n"), run("extra"));
  }

  @Test
  void helpIsGeneratedWithTheProjectsLayout() {
    Run r = run("--help");
    assertEquals(0, r.code);
    assertEquals(String.join("\n",
        "usage: syncref demo [-h] [--count=N] [--fail=<what>]",
        "",
        "a command for the test",
        "",
        "options:",
        "      --fail=<what>   what to do: ok, check, bad, crash",
        "      --count=N       a number",
        "  -h, --help          show this help",
        ""), r.out.replace("usage: demo", "usage: syncref demo"));
  }
}
