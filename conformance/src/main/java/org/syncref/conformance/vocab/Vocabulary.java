package org.syncref.conformance.vocab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The kernel calls of one component, each declared once ({@link KernelCall}), in the order of its
 * table in spec/MAPPING.md. A conformance world holds its vocabulary as a static table and
 * dispatches through {@link #apply}; {@link MappingTables} writes the table into MAPPING.md, and
 * property-tests' VocabularyTest checks the declarations against the spec's next-state relation
 * (read from TLC), MAPPING.md, the Java classes and the kernel's file layout.
 *
 * @param <W> the conformance world
 */
public final class Vocabulary<W> {
  /** The Java column's heading unless a component names another. */
  public static final String JAVA_HEADING = "Java method";

  private final String component;
  private final String owner;
  private final String javaHeading;
  private final String declaredIn;
  private final List<KernelCall<W>> rows;
  private final Map<String, KernelCall<W>> byAction = new LinkedHashMap<>();

  private Vocabulary(String component, String owner, String javaHeading, String declaredIn,
      List<KernelCall<W>> rows) {
    this.component = component;
    this.owner = owner;
    this.javaHeading = javaHeading;
    this.declaredIn = declaredIn;
    this.rows = List.copyOf(rows);
    for (KernelCall<W> c : rows) {
      if (!c.isNote() && byAction.put(c.action(), c) != null) {
        throw new IllegalArgumentException(component + ": " + c.action() + " is declared twice");
      }
    }
  }

  /**
   * A vocabulary under construction: {@code component} as MAPPING.md's section names it
   * ("DmaResv"), {@code owner} the class that declares it ("ResvWorld").
   */
  public static <W> Builder<W> builder(String component, String owner) {
    return new Builder<>(component, owner);
  }

  /** Declares the calls in table order. */
  public static final class Builder<W> {
    private final String component;
    private final String owner;
    private String javaHeading = JAVA_HEADING;
    private String declaredIn;
    private final List<KernelCall<W>> rows = new ArrayList<>();

    private Builder(String component, String owner) {
      this.component = component;
      this.owner = owner;
    }

    /** The Java column's heading, if not {@value Vocabulary#JAVA_HEADING}. */
    public Builder<W> javaHeading(String heading) {
      this.javaHeading = heading;
      return this;
    }

    /**
     * Where the declarations are, as MAPPING.md's marker and VocabularyTest's messages name them,
     * if not {@code owner.Vocab.VOCABULARY} (a vocabulary declared in a file of its own).
     */
    public Builder<W> declaredIn(String where) {
      this.declaredIn = where;
      return this;
    }

    /** A call; see {@link KernelCall#of(String, String, String, String, KernelCall.Step)}. */
    public Builder<W> call(String kernel, String signature, String java, String source, KernelCall.Step<W> step) {
      return add(KernelCall.of(kernel, signature, java, source, step));
    }

    /** A call that other operations make too, read back by {@code observer}. */
    public Builder<W> call(String kernel, String signature, String java, String source, KernelCall.Step<W> step,
        KernelCall.Observer<W> observer) {
      return add(KernelCall.of(kernel, signature, java, source, step, observer));
    }

    /** An action without a step of its own in the world; see {@link KernelCall#noStep}. */
    public Builder<W> noStep(String kernel, String signature, String java, String source, String why) {
      return add(KernelCall.noStep(kernel, signature, java, source, why));
    }

    /** A row about other rows' actions; see {@link KernelCall#note}. */
    public Builder<W> note(String kernel, String actionText, String java, String source) {
      return add(KernelCall.note(kernel, actionText, java, source));
    }

    public Builder<W> add(KernelCall<W> call) {
      rows.add(call);
      return this;
    }

    public Vocabulary<W> build() {
      return new Vocabulary<>(component, owner, javaHeading,
          declaredIn == null ? owner + ".Vocab.VOCABULARY" : declaredIn, rows);
    }
  }

  /** The section of MAPPING.md ("DmaFence"). */
  public String component() {
    return component;
  }

  /** The class that declares the vocabulary ("FenceWorld"). */
  public String owner() {
    return owner;
  }

  /** Where the declarations are ("FenceWorld.Vocab.VOCABULARY"), as messages name them. */
  public String declaredIn() {
    return declaredIn;
  }

  /** Every row, notes included, in table order. */
  public List<KernelCall<W>> rows() {
    return rows;
  }

  /** The calls (rows with a step), in table order. */
  public List<KernelCall<W>> calls() {
    return Collections.unmodifiableList(new ArrayList<>(byAction.values()));
  }

  /** The declared actions' names. */
  public Set<String> actions() {
    return new TreeSet<>(byAction.keySet());
  }

  /** The declared actions with their parameters ({@code ResvLock(t, r)}). */
  public Set<String> signatures() {
    return byAction.values().stream().map(KernelCall::signature).collect(Collectors.toCollection(TreeSet::new));
  }

  public Optional<KernelCall<W>> call(String action) {
    return Optional.ofNullable(byAction.get(action));
  }

  /**
   * Makes the call named by a TLA+ action with the spec's argument values and returns its result
   * (the spec's convention).
   *
   * @throws IllegalArgumentException "no Java counterpart for TLA+ action X" if none is declared
   */
  public long apply(W world, String action, List<String> args) {
    KernelCall<W> c = byAction.get(action);
    if (c == null) {
      throw new IllegalArgumentException("no Java counterpart for TLA+ action " + action);
    }
    return c.step().apply(world, args);
  }

  /** The calls whose kernel column names the C function {@code fn}. */
  public List<KernelCall<W>> byKernelFunction(String fn) {
    return byAction.values().stream().filter(c -> c.kernelFunctions().contains(fn)).collect(Collectors.toList());
  }

  /** The one call that names {@code fn}; empty if none does or several do. */
  public Optional<KernelCall<W>> kernelFunction(String fn) {
    List<KernelCall<W>> l = byKernelFunction(fn);
    return l.size() == 1 ? Optional.of(l.get(0)) : Optional.empty();
  }

  /** How a world that holds this one's world makes one of its calls (through that world's own apply). */
  @FunctionalInterface
  public interface Delegate<V> {
    long apply(V world, String action, List<String> args);
  }

  /**
   * The call {@code action} of this vocabulary as an action {@code newAction} of another world
   * {@code V} that makes it with {@code via}: for a spec that takes over another component's
   * action with its own variables unchanged (DmaResv's {@code PutStep} is DmaFence's {@code Put}).
   * The parameters, kernel function, Java method and source are this call's; {@code kernelNote}
   * is appended to the kernel function.
   */
  public <V> KernelCall<V> as(String action, String newAction, String kernelNote, Delegate<V> via) {
    KernelCall<W> c = call(action).orElseThrow(() -> new IllegalArgumentException(component + " has no " + action));
    return c.renamed(newAction, kernelNote, (v, args) -> via.apply(v, action, args));
  }

  /** MAPPING.md's table: heading, separator and one line per row, each ending with a newline. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("| kernel function | TLA+ action | ").append(javaHeading).append(" | kernel source |\n");
    sb.append("|---|---|---|---|\n");
    for (KernelCall<W> c : rows) {
      sb.append(c.row()).append('\n');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return component + " (" + owner + ")";
  }
}
