package org.syncref.hw.ttm;

/**
 * One fixed piece of a memory type that a resource occupies (a drm_mm node or a range of
 * pages in the kernel). TLA+ {@code Ranges}, with {@code RangeDom}.
 *
 * @param memType the memory type
 * @param index   1, 2, ... within it
 */
public record TtmRange(TtmMemType memType, int index) {
  @Override
  public String toString() {
    return memType.prefix() + index;
  }
}
