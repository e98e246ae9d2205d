/**
 * Litmus scenarios: parser, spec explorer, Java runner, the {@code syncref check} command. A litmus
 * file ({@link org.syncref.litmus.LitmusParser}) declares fences, resvs and ww_mutexes, gives each
 * thread a list of kernel calls ({@link org.syncref.litmus.Calls}) and asks with {@code exists}
 * whether a final state is reachable.
 */
package org.syncref.litmus;
