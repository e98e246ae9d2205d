package org.syncref.modelcheck.cli;

import java.io.PrintStream;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a long step, for people, on stderr: on a terminal one line ("label: status, m:ss
 * elapsed") redrawn every second and cleared when the step ends; otherwise (a pipe, a log file,
 * CI) plain lines only: a {@link #report} when its status changes and the step's final line. One
 * step at a time; used by model-check (one step per TLC model) and bench (one per JMH benchmark).
 */
public final class Progress implements AutoCloseable {
  private final PrintStream err;
  private final boolean terminal;
  private ScheduledExecutorService timer;
  private ScheduledFuture<?> ticking;
  private String label;
  private String status;
  private long start;
  private boolean lineShown;

  /** Progress on {@code err}, redrawn in place if {@code terminal}. */
  public Progress(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** Progress on {@code err}, redrawn in place if the JVM runs on a terminal and not under CI. */
  public static Progress onStderr(PrintStream err) {
    return new Progress(err, onTerminal());
  }

  /** Whether a redrawn line is wanted: a console, no {@code CI} variable, not a dumb terminal. */
  public static boolean onTerminal() {
    String ci = System.getenv("CI");
    return System.console() != null && (ci == null || ci.isBlank() || ci.equals("false"))
        && !"dumb".equals(System.getenv("TERM"));
  }

  /** Whether the line is redrawn in place. */
  public boolean terminal() {
    return terminal;
  }

  /** A step starts; its status is "starting" until the first {@link #status} or {@link #report}. */
  public synchronized void start(String label) {
    finish(null);
    this.label = label;
    this.status = null;
    this.start = System.nanoTime();
    if (terminal) {
      if (timer == null) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "syncref-progress");
          t.setDaemon(true);
          return t;
        });
      }
      draw();
      ticking = timer.scheduleAtFixedRate(this::draw, 1, 1, TimeUnit.SECONDS);
    }
  }

  /** A new status, shown on the terminal's line only (frequent, small news: a JMH iteration). */
  public synchronized void status(String status) {
    this.status = status;
    if (terminal) {
      draw();
    }
  }

  /** A new status, also printed as a plain line when not on a terminal, if it changed (rare news: TLC's report). */
  public synchronized void report(String status) {
    boolean same = Objects.equals(status, this.status);
    this.status = status;
    if (terminal) {
      draw();
    } else if (!same && label != null) {
      err.println("  " + text());
    }
  }

  /** A message from the step (a warning, a child's output): printed above the progress line. */
  public synchronized void println(String s) {
    clear();
    err.println(s);
    if (terminal && label != null) {
      draw();
    }
    err.flush();
  }

  /** Raw output from the step (a child process's bytes): written above the progress line as it comes. */
  public synchronized void raw(String s) {
    clear();
    err.print(s);
    err.flush();
  }

  /** Seconds since the step started. */
  public synchronized double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** The step ended: clears the progress line; prints {@code line} (if not null) to stay. */
  public synchronized void finish(String line) {
    if (ticking != null) {
      ticking.cancel(false);
      ticking = null;
    }
    label = null;
    clear();
    if (line != null) {
      err.println(line);
    }
    err.flush();
  }

  private String text() {
    long s = (System.nanoTime() - start) / 1_000_000_000L;
    return String.format("%s: %s, %d:%02d elapsed", label, status == null ? "starting" : status, s / 60, s % 60);
  }

  private synchronized void draw() {
    if (label != null) {
      err.print("\r\033[K" + text());
      err.flush();
      lineShown = true;
    }
  }

  private void clear() {
    if (lineShown) {
      err.print("\r\033[K");
      err.flush();
      lineShown = false;
    }
  }

  /** Clears the line and stops the timer (a later {@link #start} starts it again). */
  @Override
  public synchronized void close() {
    finish(null);
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
