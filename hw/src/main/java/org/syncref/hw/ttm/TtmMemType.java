package org.syncref.hw.ttm;

/**
 * The memory types (domains) of the model: include/drm/ttm/ttm_placement.h {@code TTM_PL_SYSTEM}
 * and {@code TTM_PL_VRAM}. TLA+ {@code Domains} ({"VRAM", "SYSTEM"}) of spec/GpuMem/GpuMem.tla.
 */
public enum TtmMemType {
  /** TTM_PL_SYSTEM: system memory. Nothing is evicted from it here. */
  SYSTEM("s"),
  /** TTM_PL_VRAM: device memory, no TT (man-&gt;use_tt is false), so its evictions are pipelined. */
  VRAM("v");

  private final String prefix;

  TtmMemType(String prefix) {
    this.prefix = prefix;
  }

  /** The short name of its ranges: "v" (v1, v2, ...) or "s", as in the TLA+ models. */
  public String prefix() {
    return prefix;
  }
}
