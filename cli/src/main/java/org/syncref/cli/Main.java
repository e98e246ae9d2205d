package org.syncref.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.syncref.bench.BenchCommand;
import org.syncref.simulate.SimulateCommand;
import org.syncref.kernelcheck.KernelCheckCommand;
import org.syncref.litmus.CheckCommand;
import org.syncref.modelcheck.cli.Cli;
import org.syncref.modelcheck.cli.ModelCheckCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code syncref} command: the picocli top command over the subcommands of model-check, litmus and bench. */
@Command(name = "syncref",
    description = "Reference semantics of Linux dma-buf synchronization: TLA+ specs, model checking, conformance.",
    footer = {"", "'syncref <subcommand> --help' or 'syncref help <subcommand>' shows a subcommand's options.",
        "Exit codes: 0 ok, 1 a check failed, 2 bad input, 3 internal error (SYNCREF_DEBUG=1: stack trace)."},
    synopsisSubcommandLabel = "SUBCOMMAND")
public final class Main implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  private Main() {}

  /** Entry point; exits with the subcommand's code. */
  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** The command line with its subcommands, in the order the help lists them. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand(new ModelCheckCommand(out, err));
    cl.addSubcommand(new CheckCommand(out, err));
    cl.addSubcommand(new KernelCheckCommand(out, err));
    cl.addSubcommand(new BenchCommand(out, err));
    cl.addSubcommand(new SimulateCommand(out, err));
    cl.addSubcommand(new HelpCommand());
    cl.getSubcommands().get("help").getCommandSpec().usageMessage()
        .header("this help, or a subcommand's: syncref help SUBCOMMAND");
    return cl;
  }

  /** Runs the command line {@code args}; returns the exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return Cli.execute(commandLine(out, err), args, out, err);
  }

  /** Without a subcommand: the help. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
