package org.syncref.conformance.gpumem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.syncref.hw.ttm.DriverPolicy;
import org.syncref.hw.ttm.HwBug;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Loads the GpuMem conformance model of a driver policy: spec/GpuMem/MCGpuMemConformance.cfg
 * ({@code Driver = "generic"}) or MCGpuMemConformanceAmdgpu / Xe / I915.cfg, the same model with
 * {@code Driver} and the driver's {@code UserModes}. TLC holds one spec per JVM, so the GpuMem
 * conformance tests run in a JVM of their own (the surefire execution "gpumem-conformance" of
 * property-tests/pom.xml, package ...conformance.gpumem), and within it one model at a time:
 * {@link #checker} loads the model a test asks for in place of the one before
 * (TlcEvaluator.loadReplacing), which invalidates the checker and the states of the previous
 * one. Tests therefore ask for their checker when they start, never keep one across classes.
 */
public final class GpuMemConformance {
  public static final String SPEC_DIR = "spec/GpuMem";
  public static final String MODULE = "MCGpuMemConformance";
  public static final String CONFIG = "MCGpuMemConformance";
  /** The config of each driver (the spec's value of {@code Driver}). */
  public static final Map<String, String> CONFIGS = Map.of("generic", CONFIG,
      "amdgpu", "MCGpuMemConformanceAmdgpu", "xe", "MCGpuMemConformanceXe", "i915", "MCGpuMemConformanceI915");

  /** The userptr conformance model (GpuMemUserptr.tla, slice 4): {@link UserptrChecker}. */
  public static final String USERPTR_MODULE = "MCGpuMemUserptr";
  public static final String USERPTR_CONFIG = "MCGpuMemUserptrConformance";

  private static String loadedConfig;
  private static GpuMemChecker checker;

  private GpuMemConformance() {}

  /** The generic model's evaluator (loaded in place of any other). */
  public static synchronized TlcEvaluator evaluator() {
    return load(CONFIG);
  }

  /**
   * The checker of {@code driver}'s Java system (its {@link DriverPolicy}) against {@code
   * driver}'s conformance model; the same checker (and its totals) while no other model is
   * loaded.
   */
  public static synchronized GpuMemChecker checker(String driver) {
    return checker(driver, driver, Map.of());
  }

  /**
   * The checker of {@code javaDriver}'s Java system against {@code specDriver}'s model, the Java
   * modes renamed by {@code alias} ({@link GpuMemWorld#specModes}): for the negative controls
   * that tell the drivers apart. A new checker each time the arguments change.
   */
  public static synchronized GpuMemChecker checker(String specDriver, String javaDriver, Map<String, String> alias) {
    String config = CONFIGS.get(specDriver);
    if (config == null) {
      throw new IllegalArgumentException("no conformance model for driver " + specDriver);
    }
    String key = config + "/" + javaDriver + "/" + alias;
    if (checker == null || !key.equals(checkerKey)) {
      TlcEvaluator ev = load(config);
      Function<HwBug[], GpuMemWorld> worlds =
          bugs -> new GpuMemWorld(DriverPolicy.of(javaDriver), bugs).specModes(alias);
      checker = new GpuMemChecker(ev, worlds);
      checkerKey = key;
    }
    return checker;
  }

  private static String checkerKey;

  /** Seconds spent loading models, and how many loads, over this JVM. */
  public static double loadSeconds;
  public static int loads;

  private static TlcEvaluator load(String config) {
    return load(MODULE, config);
  }

  /**
   * The checker of the Java userptr system (UserptrSystem.documented, the spec's placement of
   * the callback's wait) against MCGpuMemUserptrConformance; the same while no other model is
   * loaded.
   */
  public static synchronized UserptrChecker userptrChecker() {
    if (userptr == null || !(USERPTR_MODULE + "/" + USERPTR_CONFIG).equals(loadedConfig)) {
      userptr = new UserptrChecker(load(USERPTR_MODULE, USERPTR_CONFIG));
    }
    return userptr;
  }

  private static UserptrChecker userptr;

  private static TlcEvaluator load(String module, String config) {
    String id = module.equals(MODULE) ? config : module + "/" + config;
    if (id.equals(loadedConfig) && TlcEvaluator.current().isPresent()) {
      return TlcEvaluator.current().get();
    }
    long t0 = System.nanoTime();
    Path dir = Checkout.require().resolve(SPEC_DIR);
    TlcEvaluator ev = TlcEvaluator.loadReplacing(dir, module, config, siblings(dir));
    loadSeconds += (System.nanoTime() - t0) / 1e9;
    loads++;
    loadedConfig = id;
    checker = null;
    userptr = null;
    return ev;
  }

  /** The other component folders of spec/, searched for EXTENDS and INSTANCE (as TlcRunner's TLA-Library). */
  private static List<Path> siblings(Path dir) {
    List<Path> out = new ArrayList<>();
    try (var dirs = Files.list(dir.toAbsolutePath().normalize().getParent())) {
      dirs.filter(Files::isDirectory).filter(d -> !d.equals(dir.toAbsolutePath().normalize())).sorted()
          .forEach(out::add);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }
}
