package org.syncref.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.syncref.bench.BenchCommand;
import org.syncref.kernelcheck.KernelCheckCommand;
import org.syncref.litmus.CheckCommand;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.cli.ModelCheckCommand;
import org.syncref.modelcheck.cli.Subcommand;

/** The {@code syncref} command: dispatches to the subcommands of model-check, litmus and bench. */
public final class Main {
  private Main() {}

  /** Entry point; exits with the subcommand's code. */
  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** All subcommands by name. */
  static Map<String, Subcommand> subcommands(PrintStream out, PrintStream err) {
    Map<String, Subcommand> all = new TreeMap<>();
    for (Subcommand s : List.of(new ModelCheckCommand(out, err), new CheckCommand(out, err),
        new KernelCheckCommand(out, err), new BenchCommand())) {
      all.put(s.name(), s);
    }
    return all;
  }

  /** Runs the command line {@code args}; returns the exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Map<String, Subcommand> all = subcommands(out, err);
    if (args.isEmpty() || List.of("help", "--help", "-h").contains(args.get(0)) && args.size() == 1) {
      out.print(help(all));
      return 0;
    }
    String name = args.get(0);
    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
    if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
      Subcommand s = all.get(rest.get(0));
      if (s == null) {
        err.println("syncref: unknown subcommand '" + rest.get(0) + "' (subcommands: " + String.join(", ", all.keySet()) + ")");
        return 2;
      }
      out.print(endLine(s.usage()));
      return 0;
    }
    Subcommand s = all.get(name);
    if (s == null) {
      err.println("syncref: unknown subcommand '" + name + "' (subcommands: " + String.join(", ", all.keySet())
          + "; see syncref help)");
      return 2;
    }
    if (rest.contains("--help") || rest.contains("-h")) {
      out.print(endLine(s.usage()));
      return 0;
    }
    try {
      return s.run(rest);
    } catch (BadInputException e) {
      err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("syncref " + name + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
      if (System.getenv("SYNCREF_DEBUG") != null) {
        e.printStackTrace(err);
      } else {
        err.println("(set SYNCREF_DEBUG=1 for the stack trace)");
      }
      return 3;
    }
  }

  private static String endLine(String s) {
    return s.endsWith("\n") ? s : s + "\n";
  }

  static String help(Map<String, Subcommand> all) {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: syncref <subcommand> [options]\n\n");
    sb.append("Reference semantics of Linux dma-buf synchronization: TLA+ specs, model checking, conformance.\n\n");
    sb.append("subcommands:\n");
    int w = all.keySet().stream().mapToInt(String::length).max().orElse(4);
    for (Subcommand s : all.values()) {
      sb.append(String.format("  %-" + w + "s  %s%n", s.name(), s.summary()));
    }
    sb.append(String.format("  %-" + w + "s  %s%n", "help", "this text; 'syncref help <subcommand>' for one subcommand"));
    sb.append("\n'syncref <subcommand> --help' shows a subcommand's options.\n");
    sb.append("Exit codes: 0 ok, 1 a check failed, 2 bad input.\n");
    return sb.toString();
  }
}
