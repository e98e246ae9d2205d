package org.syncref.modelcheck;

/** The {@code -tool} message codes this runner reads, copied from {@code tlc2.output.EC} of TLC 2.18. */
public final class TlcCodes {
  private TlcCodes() {}

  /** "TLC2 Version ...". */
  public static final int TLC_VERSION = 2262;
  /** Invariant violated by the initial state. */
  public static final int TLC_INVARIANT_VIOLATED_INITIAL = 2107;
  /** Invariant violated by a behaviour. */
  public static final int TLC_INVARIANT_VIOLATED_BEHAVIOR = 2110;
  /** Action property ({@code [][A]_v} under PROPERTIES) violated. */
  public static final int TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR = 2112;
  /** Deadlock reached. */
  public static final int TLC_DEADLOCK_REACHED = 2114;
  /** Temporal (liveness) property violated. */
  public static final int TLC_TEMPORAL_PROPERTY_VIOLATED = 2116;
  /** "The behavior up to this point is:". */
  public static final int TLC_BEHAVIOR_UP_TO_THIS_POINT = 2121;
  /** Counterexample header of liveness errors. */
  public static final int TLC_COUNTER_EXAMPLE = 2264;
  /** Assumption false. */
  public static final int TLC_ASSUMPTION_FALSE = 2104;
  /** Model checking finished without error. */
  public static final int TLC_SUCCESS = 2193;
  /** Depth of the complete state graph search. */
  public static final int TLC_SEARCH_DEPTH = 2194;
  /** Final statistics: states generated, distinct, left on queue. */
  public static final int TLC_STATS = 2199;
  /** Periodic progress statistics. */
  public static final int TLC_PROGRESS_STATS = 2200;
  /** A trace state. */
  /** "N: Back to state: &lt;Action ...&gt;": the loop of a liveness counterexample (lasso). */
  public static final int TLC_BACK_TO_STATE = 2122;
  public static final int TLC_STATE_PRINT1 = 2216;
  /** A trace state (the usual one). */
  public static final int TLC_STATE_PRINT2 = 2217;
  /** A trace state (stuttering / back-to-state of liveness traces). */
  public static final int TLC_STATE_PRINT3 = 2218;
  /** "Finished in ...". */
  public static final int TLC_FINISHED = 2186;
  /** SANY parse failure. */
  public static final int TLC_PARSING_FAILED = 3002;
  /** SANY parse failure (alternative wording). */
  public static final int TLC_PARSING_FAILED2 = 2171;
}
