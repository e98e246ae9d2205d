package org.syncref.ww;

import java.util.concurrent.atomic.AtomicLong;

import org.syncref.kernel.Kernel;
import org.syncref.kernel.Lockdep;

/**
 * A struct ww_class: the family of ww_mutexes that one acquire context may lock together, with
 * its algorithm (Wait-Die or Wound-Wait), its stamp counter and its two lockdep classes.
 *
 * <p>Follows include/linux/ww_mutex.h: {@code DEFINE_WD_CLASS} is {@link #waitDie},
 * {@code DEFINE_WW_CLASS} is {@link #woundWait} (__WW_CLASS_INITIALIZER: stamp 0, lockdep
 * names {@code <name>_acquire} and {@code <name>_mutex}). The stamp counter is advanced by
 * ww_acquire_init with atomic_long_inc_return_relaxed, so the first context gets stamp 1.
 */
public final class WwClass {
  /** The name dma-resv.c gives its class ({@code DEFINE_WD_CLASS(reservation_ww_class)}). */
  public static final String RESERVATION_WW_CLASS_NAME = "reservation_ww_class";

  private final String name;
  private final boolean isWaitDie;
  /** ww_class-&gt;stamp. */
  private final AtomicLong stamp = new AtomicLong();
  /** ww_class-&gt;acquire_key: the lockdep class of the acquire contexts (no wait type). */
  final Lockdep.LockClass acquireKey;
  /** ww_class-&gt;mutex_key: the lockdep class of the mutexes (sleeping locks). */
  final Lockdep.LockClass mutexKey;

  private WwClass(String name, boolean isWaitDie) {
    this.name = name;
    this.isWaitDie = isWaitDie;
    this.acquireKey = new Lockdep.LockClass(name + "_acquire", Lockdep.WaitType.INV);
    this.mutexKey = new Lockdep.LockClass(name + "_mutex", Lockdep.WaitType.SLEEP);
  }

  /**
   * A Wait-Die class: a younger transaction that holds locks backs off (dies) when it would
   * wait for an older one.
   *
   * <p>Kernel DEFINE_WD_CLASS(name) (is_wait_die = 1); not a TLA+ action.
   */
  public static WwClass waitDie(String name) {
    return new WwClass(name, true);
  }

  /**
   * A Wound-Wait class: an older transaction that has to wait wounds a younger holder, which
   * backs off at its next contended lock.
   *
   * <p>Kernel DEFINE_WW_CLASS(name) (is_wait_die = 0); not a TLA+ action.
   */
  public static WwClass woundWait(String name) {
    return new WwClass(name, false);
  }

  /** Per-kernel holder of reservation_ww_class. */
  private static final class Reservation {
    final WwClass wwClass = waitDie(RESERVATION_WW_CLASS_NAME);
  }

  /**
   * The class of every dma_resv lock in {@code kernel}: Wait-Die, named {@value
   * #RESERVATION_WW_CLASS_NAME} (drivers/dma-buf/dma-resv.c: {@code DEFINE_WD_CLASS(reservation_ww_class)},
   * exported for the drivers' acquire contexts). One per kernel, as all kernel globals here are,
   * so that stamps start at 1 in every kernel.
   */
  public static WwClass reservationWwClass(Kernel kernel) {
    return kernel.subsystem(Reservation.class, k -> new Reservation()).wwClass;
  }

  /** The class name. */
  public String name() {
    return name;
  }

  /** ww_class-&gt;is_wait_die: true for Wait-Die, false for Wound-Wait. */
  public boolean isWaitDie() {
    return isWaitDie;
  }

  /** The current value of the stamp counter: the stamp of the newest acquire context (0: none). */
  public long stamp() {
    return stamp.get();
  }

  /** atomic_long_inc_return_relaxed(&amp;ww_class-&gt;stamp). */
  long nextStamp() {
    return stamp.incrementAndGet();
  }

  @Override
  public String toString() {
    return name + (isWaitDie ? " (Wait-Die)" : " (Wound-Wait)");
  }
}
