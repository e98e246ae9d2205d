package org.syncref.modelcheck.cli;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.syncref.modelcheck.ModelEntry;
import org.syncref.modelcheck.TlcRunner;

/**
 * Shows on stderr which model is running, its states so far and the elapsed time: one line that
 * updates every second on a terminal, a plain line per TLC progress report (about once a minute)
 * otherwise.
 */
final class Progress implements TlcRunner.Listener, AutoCloseable {
  private final PrintStream err;
  private final boolean terminal;
  private final ScheduledExecutorService timer;
  private ScheduledFuture<?> ticking;
  private volatile String model;
  private volatile long start;
  private volatile Long distinct;
  private volatile Integer depth;
  private boolean lineShown;

  Progress(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
    this.timer = terminal ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "syncref-progress");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** A model starts. */
  synchronized void start(ModelEntry e) {
    model = e.name();
    start = System.nanoTime();
    distinct = null;
    depth = null;
    if (terminal) {
      draw();
      ticking = timer.scheduleAtFixedRate(this::draw, 1, 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public synchronized void progress(ModelEntry e, Long distinct, Integer depth) {
    boolean same = java.util.Objects.equals(distinct, this.distinct) && java.util.Objects.equals(depth, this.depth);
    this.distinct = distinct;
    this.depth = depth;
    if (!terminal && !same) {
      // TLC's final statistics repeat its last progress report: print a change only
      err.println("  " + text());
    }
  }

  private String text() {
    long s = (System.nanoTime() - start) / 1_000_000_000L;
    String states = distinct == null ? "starting" : String.format("%,d distinct states, depth %d", distinct, depth);
    return String.format("%s: %s, %d:%02d elapsed", model, states, s / 60, s % 60);
  }

  private synchronized void draw() {
    if (model != null) {
      err.print("\r\033[K" + text());
      err.flush();
      lineShown = true;
    }
  }

  /** A model finished: clears the progress line so that the result row can be printed. */
  synchronized void finish() {
    if (ticking != null) {
      ticking.cancel(false);
      ticking = null;
    }
    model = null;
    if (lineShown) {
      err.print("\r\033[K");
      err.flush();
      lineShown = false;
    }
  }

  @Override
  public void close() {
    finish();
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
