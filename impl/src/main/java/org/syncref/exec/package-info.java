/**
 * Multi-object locking helpers on top of dma_resv's ww_mutex: struct drm_exec as in mainline
 * drivers/gpu/drm/drm_exec.c and include/drm/drm_exec.h ({@link org.syncref.exec.DrmExec}),
 * i915's struct i915_gem_ww_ctx as in drivers/gpu/drm/i915/i915_gem_ww.c and i915_gem_ww.h
 * ({@link org.syncref.exec.I915GemWwCtx}), and the minimal struct drm_gem_object they lock
 * ({@link org.syncref.exec.GemObject}).
 *
 * <p>Conventions (besides those of {@code org.syncref.kernel}):
 * <ul>
 *   <li>Each public kernel method names its kernel function in its javadoc and reports itself to
 *       the kernel's call listener as one outermost call. Their TLA+ specification is
 *       spec/DrmExec/DrmExec.tla (clients "drm_exec" and "i915").</li>
 *   <li>A {@code DrmExec} or {@code I915GemWwCtx} belongs to the thread that uses it, as the
 *       kernel's on-stack structs do; it is not thread-safe.</li>
 *   <li>The C loop macros become methods: {@code drm_exec_until_all_locked} is
 *       {@link org.syncref.exec.DrmExec#untilAllLocked} (or a {@code while (exec.cleanup())}
 *       loop), {@code drm_exec_retry_on_contention} is
 *       {@link org.syncref.exec.DrmExec#retryOnContention}, {@code for_i915_gem_ww} is
 *       {@link org.syncref.exec.I915GemWwCtx#forI915GemWw}.</li>
 * </ul>
 */
package org.syncref.exec;
