package org.syncref.conformance;

import java.util.List;
import java.util.Map;
import java.util.Random;
import tlc2.value.impl.Value;

/**
 * The Java side of a conformance check: kernel objects driven by TLA+ action names, and their
 * state in the spec's variables. {@link FenceWorld} is DmaFence's, {@link ResvWorld} DmaResv's.
 */
public interface ConformanceWorld extends AutoCloseable {
  /** The Java objects' state in the spec's variables. */
  Map<String, Value> snapshot();

  /**
   * Makes the kernel call named by a TLA+ action with the spec's argument values; {@code rnd}
   * resolves what the action leaves open at entry (for example a pending signal).
   */
  void applyStep(String action, List<String> args, Random rnd);

  /** How often a spec walk picks the action name, relative to 6 for an ordinary call. */
  default int walkWeight(String action) {
    return 6;
  }

  @Override
  void close();
}
