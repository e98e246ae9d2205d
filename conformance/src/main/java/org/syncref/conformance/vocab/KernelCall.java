package org.syncref.conformance.vocab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kernel call of a component, declared once: the kernel function, the TLA+ action with its
 * parameters, the Java method, the kernel source file, and the conformance world's step that
 * makes the call. spec/MAPPING.md's row is rendered from it ({@link #row()}), the world's dispatch
 * runs {@link #step()}, and the trace event of the step is the action with its arguments.
 *
 * <p>The texts are Markdown as MAPPING.md shows them. {@code kernel}: the kernel function(s) in
 * backticks, with any qualification ("`dma_resv_lock(obj, NULL)`", "`ww_mutex_lock` on a held
 * lock (-EALREADY)"); every backticked C identifier in it is a name the call can be looked up by
 * ({@link #kernelFunctions()}). {@code java}: the Java method(s) as {@code Class.method(args)}
 * in backticks (checked by reflection in property-tests' VocabularyTest). {@code source}: the
 * kernel file(s) from the tree's root, comma-separated, optionally followed by a note in
 * backticks or parentheses ("kernel/locking/mutex.c `__mutex_lock_common`"), or "-" for a step
 * that is no kernel call.
 *
 * <p>A row without a step ({@link #isNote()}) documents a behaviour of actions declared in other
 * rows (a disjunct of them, as ww_mutex's deadlock injection): it is in the table, not in the
 * dispatch.
 *
 * <p>A row declared with {@link #noStep} names an action of the spec (checked against its
 * next-state relation like any call) for which the world has no step of its own: a step inside a
 * Java call that makes a whole CPU operation at once (GpuMem's {@code EvictReserve} inside {@code
 * TtmDevice.evict}), or one the world does not make; the dispatch refuses it, saying why.
 *
 * @param <W> the conformance world
 */
public final class KernelCall<W> {
  /** The world's step: makes the call with the action's arguments, returns its result (or 0). */
  @FunctionalInterface
  public interface Step<W> {
    long apply(W world, List<String> args);
  }

  /**
   * How a call made from inside another operation (the hardware model's, seen by a {@code
   * Kernel.CallListener}) becomes this action: updates the world's bookkeeping and returns the
   * action's arguments. Only calls whose arguments are not simply the thread, the subject and
   * the call's arguments need one.
   */
  @FunctionalInterface
  public interface Observer<W> {
    List<String> observed(W world, String thread, Object subject, Object[] args, Object result);
  }

  private static final Pattern SIGNATURE = Pattern.compile("(\\w+)\\(([^)]*)\\)(.*)", Pattern.DOTALL);
  private static final Pattern KERNEL_NAME = Pattern.compile("`([a-z_][a-z0-9_]*)(?=[`(])");
  private static final Pattern SOURCE_NOTE = Pattern.compile(" [`(]");

  private final String kernel;
  private final String action;
  private final List<String> params;
  private final String actionText;
  private final String java;
  private final String source;
  private final Step<W> step;
  private final Observer<W> observer;
  private final String noStep;

  private KernelCall(String kernel, String action, List<String> params, String actionText, String java,
      String source, Step<W> step, Observer<W> observer) {
    this(kernel, action, params, actionText, java, source, step, observer, null);
  }

  private KernelCall(String kernel, String action, List<String> params, String actionText, String java,
      String source, Step<W> step, Observer<W> observer, String noStep) {
    this.kernel = Objects.requireNonNull(kernel);
    this.action = action;
    this.params = params;
    this.actionText = actionText;
    this.java = Objects.requireNonNull(java);
    this.source = Objects.requireNonNull(source);
    this.step = step;
    this.observer = observer;
    this.noStep = noStep;
  }

  /**
   * A call: {@code signature} is the TLA+ action with its parameters as the spec names them,
   * optionally followed by a Markdown note ({@code "Wake(t) (WwCalls `WaitAcquire` / ...)"}).
   */
  public static <W> KernelCall<W> of(String kernel, String signature, String java, String source, Step<W> step) {
    return of(kernel, signature, java, source, step, null);
  }

  /** A call with an {@link Observer} for when another operation makes it. */
  public static <W> KernelCall<W> of(String kernel, String signature, String java, String source, Step<W> step,
      Observer<W> observer) {
    Matcher m = SIGNATURE.matcher(signature);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an action with parameters: " + signature);
    }
    List<String> params = m.group(2).isBlank() ? List.of() : List.of(m.group(2).trim().split("\\s*,\\s*"));
    String text = "`" + m.group(1) + "(" + String.join(", ", params) + ")`" + m.group(3);
    return new KernelCall<>(kernel, m.group(1), params, text, java, source, Objects.requireNonNull(step), observer);
  }

  /**
   * An action of the spec without a step of its own in the world ({@code why}: inside which Java
   * call the system takes it, or why the world does not): declared, so checked against the
   * next-state relation, the Java classes and MAPPING.md, but refused by the dispatch with
   * "no Java step of its own for TLA+ action X: why".
   */
  public static <W> KernelCall<W> noStep(String kernel, String signature, String java, String source, String why) {
    Objects.requireNonNull(why);
    KernelCall<W> c = of(kernel, signature, java, source, (w, args) -> 0);
    String action = c.action;
    Step<W> refuse = (w, args) -> {
      throw new IllegalArgumentException("no Java step of its own for TLA+ action " + action + ": " + why);
    };
    return new KernelCall<>(kernel, action, c.params, c.actionText, java, source, refuse, null, why);
  }

  /** Why the world has no step of its own for this action ({@link #noStep}); null for a call or a note. */
  public String noStepReason() {
    return noStep;
  }

  /** A row that documents a behaviour of other rows' actions ({@code actionText}: Markdown). */
  public static <W> KernelCall<W> note(String kernel, String actionText, String java, String source) {
    return new KernelCall<>(kernel, null, List.of(), actionText, java, source, null, null);
  }

  /** This call under another action name, with another step (see {@link Vocabulary#as}). */
  <V> KernelCall<V> renamed(String newAction, String kernelNote, Step<V> newStep) {
    String text = "`" + newAction + "(" + String.join(", ", params) + ")`";
    return new KernelCall<>(kernel + kernelNote, newAction, params, text, java, source, newStep, null);
  }

  /** This call with another Java column (when the world that reuses it makes it differently). */
  public KernelCall<W> withJava(String otherJava) {
    return new KernelCall<>(kernel, action, params, actionText, otherJava, source, step, observer, noStep);
  }

  /** The TLA+ action's name; null for a note row. */
  public String action() {
    return action;
  }

  /** The action's parameters as the spec names them ({@code t, r}). */
  public List<String> params() {
    return params;
  }

  /** {@code ResvLock(t, r)}; null for a note row. */
  public String signature() {
    return action == null ? null : action + "(" + String.join(", ", params) + ")";
  }

  public String kernel() {
    return kernel;
  }

  public String java() {
    return java;
  }

  public String source() {
    return source;
  }

  public Step<W> step() {
    return step;
  }

  /** The observer, or null when the generic reading (thread, subject, arguments) applies. */
  public Observer<W> observer() {
    return observer;
  }

  public boolean isNote() {
    return step == null;
  }

  /** The C functions named in the kernel column (every backticked identifier). */
  public Set<String> kernelFunctions() {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = KERNEL_NAME.matcher(kernel);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * The kernel files of the source column (what precedes a note); empty for "-" (no kernel call).
   */
  public List<String> sourceFiles() {
    if (source.equals("-")) {
      return List.of();
    }
    Matcher m = SOURCE_NOTE.matcher(source);
    String files = m.find() ? source.substring(0, m.start()) : source;
    return new ArrayList<>(Arrays.asList(files.split(", ")));
  }

  /** The row of MAPPING.md's table. */
  public String row() {
    return "| " + kernel + " | " + actionText + " | " + java + " | " + source + " |";
  }

  @Override
  public String toString() {
    return isNote() ? "note " + actionText : signature();
  }
}
