/**
 * The {@code syncref} command: {@link org.syncref.cli.Main} is the picocli top command over the
 * subcommands of the modules it depends on (model-check, litmus, bench), each a picocli
 * {@code @Command} run through {@link org.syncref.modelcheck.cli.Cli}.
 */
package org.syncref.cli;
