package org.syncref.modelcheck.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import org.syncref.modelcheck.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs a picocli command of the {@code syncref} command line (the whole command, or one
 * subcommand alone, as the tests do) with the project's exit codes: 0 ok, 1 a check failed (the
 * command's own return value), 2 bad input, 3 an internal error. Bad input, whether picocli finds
 * it (an unknown option, a missing or malformed value) or the command does ({@link
 * BadInputException}), is one line on stderr, never a stack trace; an internal error is one line
 * and the hint to set SYNCREF_DEBUG, which prints the stack trace.
 */
public final class Cli {
  /** Exit code of bad input. */
  public static final int BAD_INPUT = 2;
  /** Exit code of an internal error (an unexpected exception). */
  public static final int INTERNAL_ERROR = 3;
  /** Width of the generated help. */
  static final int HELP_WIDTH = 100;

  private Cli() {}

  /** Runs {@code command} (an object annotated with {@code @Command}) on {@code args}; returns the exit code. */
  public static int execute(Object command, List<String> args, PrintStream out, PrintStream err) {
    return execute(new CommandLine(command), args, out, err);
  }

  /**
   * Runs a command line whose subcommands are all added; returns the exit code. Sets the output
   * streams, the help width and the exception handlers on the whole hierarchy.
   */
  public static int execute(CommandLine cl, List<String> args, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    cl.setOut(o);
    cl.setErr(e);
    style(cl);
    cl.setParameterExceptionHandler(Cli::badParameter);
    cl.setExecutionExceptionHandler((ex, c, parsed) -> failed(ex, c));
    try {
      return cl.execute(args.toArray(new String[0]));
    } finally {
      o.flush();
      e.flush();
    }
  }

  /**
   * The same help layout on every command: "usage: ..." (picocli's synopsis), the description, the
   * arguments, then the options in declaration order, {@code -h, --help} last.
   */
  private static void style(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    if (spec.findOption("--help") == null) {
      spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help").build());
    }
    spec.usageMessage().width(HELP_WIDTH).sortOptions(false).synopsisHeading("usage: ").descriptionHeading("%n")
        .parameterListHeading("%narguments:%n").optionListHeading("%noptions:%n")
        .commandListHeading("%nsubcommands:%n");
    for (CommandLine sub : cl.getSubcommands().values()) {
      style(sub);
    }
  }

  /** "syncref check", also for a subcommand run alone. */
  static String name(CommandLine cl) {
    String q = cl.getCommandSpec().qualifiedName();
    return q.startsWith("syncref") ? q : "syncref " + q;
  }

  /** One line: the command, what was wrong and what was expected, where the help is. */
  private static int badParameter(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    cl.getErr().println(name(cl) + ": " + what(ex) + " (see " + name(cl) + " --help)");
    return BAD_INPUT;
  }

  private static String what(ParameterException ex) {
    String msg = String.valueOf(ex.getMessage()).strip();
    CommandLine cl = ex.getCommandLine();
    // An unknown option first: it may be why a required argument seems missing.
    List<String> unmatched = ex instanceof UnmatchedArgumentException u ? u.getUnmatched() : cl.getUnmatchedArguments();
    if (!unmatched.isEmpty()) {
      CommandSpec spec = cl.getCommandSpec();
      String first = unmatched.get(0);
      List<String> suggestions = spec.optionsMap().keySet().stream()
          .filter(n -> n.startsWith("--") && distance(n, first) <= 2).sorted().toList();
      if (!spec.subcommands().isEmpty() && !first.startsWith("-")) {
        msg = "unknown subcommand '" + first + "': one of " + String.join(", ", spec.subcommands().keySet())
            + " expected";
      } else if (first.startsWith("-")) {
        msg = "unknown option '" + first + "'";
        if (!suggestions.isEmpty()) {
          msg += ", did you mean " + String.join(" or ", suggestions) + "?";
        }
      } else {
        msg = "unexpected argument '" + first + "'";
      }
    }
    if (msg.startsWith("Unknown subcommand '")) {
      // picocli's help subcommand: name what is expected
      msg = msg.replaceAll("\\.$", "") + ": one of "
          + String.join(", ", cl.getCommandSpec().subcommands().keySet()) + " expected";
    }
    msg = msg.replaceAll("\\s*\\R\\s*", "; ");
    return msg.isEmpty() ? msg : Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
  }

  /** Levenshtein distance, for "did you mean". */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static int failed(Exception ex, CommandLine cl) {
    PrintWriter err = cl.getErr();
    if (ex instanceof BadInputException) {
      err.println(ex.getMessage());
      return BAD_INPUT;
    }
    err.println(name(cl) + ": " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
    if (System.getenv("SYNCREF_DEBUG") != null) {
      ex.printStackTrace(err);
    } else {
      err.println("(set SYNCREF_DEBUG=1 for the stack trace)");
    }
    err.flush();
    return INTERNAL_ERROR;
  }
}
