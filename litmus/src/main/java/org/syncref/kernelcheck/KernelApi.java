package org.syncref.kernelcheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a kernel tree's dma-buf API looks like, read from its headers and sources (not assumed from
 * the version number): the version, whether {@code dma_fence_check_and_signal} exists and
 * {@code dma_fence_signal} returns void (mainline after the Dec 2025 series) or int (0 / -EINVAL,
 * 6.1 and 6.12), and the form of dma_resv_add_fence's replacement test (the guard that keeps a
 * BUG_ON from being executed reproduces it).
 *
 * @param version "6.12.57" from the top Makefile
 * @param checkAndSignal dma_fence_check_and_signal is declared
 * @param laterOrSame dma_resv_add_fence replaces a same-context entry only if the new fence is
 *     later or the same (dma_fence_is_later_or_same, the 2023 fix); false: any same-context entry
 * @param resvListLayout dma-resv.c's private struct dma_resv_list is {rcu; u32 num_fences,
 *     max_fences; table[]} (the guard reads it)
 * @param missing litmus calls this tree cannot express, with the reason (a file using one is
 *     skipped): the generated code's form of each call is looked up in the tree's headers
 */
public record KernelApi(String version, boolean checkAndSignal, boolean laterOrSame, boolean resvListLayout,
    java.util.Map<String, String> missing) {

  /** Reads the API of the tree at {@code src}. */
  public static KernelApi of(Path src) throws IOException {
    String mk = Files.readString(src.resolve("Makefile"));
    String v = field(mk, "VERSION") + "." + field(mk, "PATCHLEVEL");
    String sub = field(mk, "SUBLEVEL");
    if (!sub.isEmpty()) {
      v += "." + sub;
    }
    String fenceH = Files.readString(src.resolve("include/linux/dma-fence.h"));
    String resvC = Files.readString(src.resolve("drivers/dma-buf/dma-resv.c"));
    boolean cas = fenceH.contains("dma_fence_check_and_signal(");
    boolean los = resvC.contains("dma_fence_is_later_or_same(fence, old)");
    boolean layout = Pattern.compile("struct dma_resv_list \\{\\s*struct rcu_head rcu;\\s*u32 num_fences, max_fences;")
        .matcher(resvC).find();
    String resvH = Files.readString(src.resolve("include/linux/dma-resv.h"));
    String wwH = Files.readString(src.resolve("include/linux/ww_mutex.h"));
    String all = fenceH + resvH + wwH;
    java.util.Map<String, String> missing = new java.util.TreeMap<>();
    for (org.syncref.litmus.Calls.Fn fn : org.syncref.litmus.Calls.Fn.values()) {
      // the function the call's C form needs (Calls.Fn's C declaration)
      String name = fn.c().declares();
      if (!Pattern.compile("\\b" + name + "\\s*\\(").matcher(all).find()) {
        missing.put(fn.kernelName(), "no " + name + "() in its headers");
      }
    }
    if (!resvH.contains("enum dma_resv_usage {")) {
      for (org.syncref.litmus.Calls.Fn fn : org.syncref.litmus.Calls.Fn.values()) {
        if (fn.params().contains(org.syncref.litmus.Calls.Kind.USAGE)) {
          missing.putIfAbsent(fn.kernelName(), "no enum dma_resv_usage (before 5.19)");
        }
      }
    }
    if (!Pattern.compile("ww_mutex_trylock\\(struct ww_mutex \\*\\w+,\\s*struct ww_acquire_ctx").matcher(wwH).find()) {
      missing.putIfAbsent("ww_mutex_trylock", "ww_mutex_trylock takes no acquire context (before 5.16)");
    }
    return new KernelApi(v, cas, los, layout, missing);
  }

  /** "6.12" of "6.12.57". */
  public String shortVersion() {
    String[] p = version.split("\\.");
    return p.length >= 2 ? p[0] + "." + p[1] : version;
  }

  private static String field(String makefile, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\s*=\\s*(\\S*)").matcher(makefile);
    return m.find() ? m.group(1) : "";
  }
}
