package org.syncref.kernel;

/**
 * One kernel WARN that fired: the kernel function, the check that failed and the object it was
 * about (a fence, or null when there is none, as for dma_fence_context_alloc).
 *
 * @param function kernel function that WARNed, e.g. {@code "dma_fence_set_error"}
 * @param check    the condition that fired, e.g. {@code "fence already signaled"}
 * @param subject  the object the WARN is about, or null
 */
public record Warning(String function, String check, Object subject) {
  @Override
  public String toString() {
    return "WARNING: " + function + ": " + check + (subject == null ? "" : " (" + subject + ")");
  }
}
