package org.syncref.modelcheck.cli;

import java.util.List;

/**
 * A {@code syncref} subcommand: model-check's own, litmus's check and kernel-check, bench's bench;
 * the command's main ({@code org.syncref.cli.Main}, module cli) lists them by name.
 */
public interface Subcommand {
  /** The word that selects it, e.g. {@code bench}. */
  String name();

  /** One line for {@code syncref help}. */
  String summary();

  /** The full help text for {@code syncref <name> --help}. */
  String usage();

  /**
   * Runs it with the arguments after its name; returns the exit code (0 ok, 1 failure, 2 bad
   * input). May throw {@link org.syncref.modelcheck.BadInputException} for bad input.
   */
  int run(List<String> args) throws Exception;
}
