/**
 * TLC's own evaluator used as a library: parse a spec once per JVM, then check steps, enumerate
 * successors and evaluate invariants in-process (no second Java copy of any spec).
 *
 * <p>TLC keeps static state (the variable table of its states), so a JVM may load only one spec;
 * {@link org.syncref.modelcheck.tlc.TlcEvaluator#load} enforces that.
 */
package org.syncref.modelcheck.tlc;
