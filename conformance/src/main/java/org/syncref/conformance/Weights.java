package org.syncref.conformance;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * How often a random program picks each command of a trace generator's command enum (its
 * {@code Kind}): a weight per command, relative to the others. The jqwik programs of
 * property-tests ({@code Programs}) and the generators' own {@code randomProgram} draw from the
 * same weights, so both have one distribution. A weight of 0 takes a command out, which is how
 * the negative control of {@link NextCoverage} shows that an action no command makes is caught.
 */
public final class Weights<K extends Enum<K>> {
  private final Class<K> type;
  private final EnumMap<K, Integer> weights;
  private final int total;

  private Weights(Class<K> type, EnumMap<K, Integer> weights) {
    this.type = type;
    this.weights = weights;
    int sum = 0;
    for (int w : weights.values()) {
      if (w < 0) {
        throw new IllegalArgumentException("negative weight in " + weights);
      }
      sum += w;
    }
    if (sum == 0) {
      throw new IllegalArgumentException("every command of " + type.getSimpleName() + " has weight 0");
    }
    this.total = sum;
  }

  /** The weight of every command of {@code type}, from {@code weight}. */
  public static <K extends Enum<K>> Weights<K> of(Class<K> type, ToIntFunction<K> weight) {
    EnumMap<K, Integer> m = new EnumMap<>(type);
    for (K k : type.getEnumConstants()) {
      m.put(k, weight.applyAsInt(k));
    }
    return new Weights<>(type, m);
  }

  /** These weights with {@code k}'s replaced. */
  public Weights<K> with(K k, int weight) {
    EnumMap<K, Integer> m = new EnumMap<>(weights);
    m.put(k, weight);
    return new Weights<>(type, m);
  }

  /** These weights without command {@code k} (weight 0): programs never make it. */
  public Weights<K> without(K k) {
    return with(k, 0);
  }

  public int weight(K k) {
    return weights.get(k);
  }

  /** The sum of the weights. */
  public int total() {
    return total;
  }

  /** The commands of non-zero weight with their weights, in declaration order. */
  public Map<K, Integer> nonZero() {
    Map<K, Integer> m = new LinkedHashMap<>();
    weights.forEach((k, w) -> {
      if (w > 0) {
        m.put(k, w);
      }
    });
    return Collections.unmodifiableMap(m);
  }

  /** A command drawn with these weights. */
  public K pick(Random r) {
    int x = r.nextInt(total);
    for (Map.Entry<K, Integer> e : weights.entrySet()) {
      x -= e.getValue();
      if (x < 0) {
        return e.getKey();
      }
    }
    throw new AssertionError("unreachable");
  }

  @Override
  public String toString() {
    return weights.toString();
  }
}
