/**
 * The {@code syncref} command: {@link org.syncref.cli.Main} dispatches to the subcommands of the
 * modules it depends on (model-check, litmus, bench), each an {@link
 * org.syncref.modelcheck.cli.Subcommand}.
 */
package org.syncref.cli;
