package org.syncref.ww;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A kernel task for deterministic tests: one daemon thread that runs the steps a test submits,
 * one after another, so that an acquire context (which belongs to the task that initialised it,
 * also for lockdep) is used by one thread across several steps. A step that sleeps in a
 * {@code ManualSched} stays parked until the test resumes the thread.
 */
final class Actor implements AutoCloseable {
  private static final Runnable STOP = () -> { };
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  Actor(String name) {
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    for (;;) {
      Runnable r;
      try {
        r = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (r == STOP) {
        return;
      }
      r.run();
    }
  }

  /** The task's thread. */
  Thread thread() {
    return thread;
  }

  /** Runs {@code step} on the task's thread; the future completes when the step returns. */
  <T> CompletableFuture<T> submit(Callable<T> step) {
    CompletableFuture<T> f = new CompletableFuture<>();
    queue.add(() -> {
      try {
        f.complete(step.call());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f;
  }

  /** Runs {@code step} on the task's thread and waits (at most 5 s) for its result. */
  <T> T call(Callable<T> step) throws Exception {
    return get(submit(step));
  }

  /** Runs {@code step} on the task's thread and waits (at most 5 s) for it. */
  void run(Runnable step) throws Exception {
    call(() -> {
      step.run();
      return null;
    });
  }

  /** The result of a step, waiting at most 5 s; the step's exception is rethrown as is. */
  static <T> T get(Future<T> f) throws Exception {
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new AssertionError("step did not finish within 5 s", e);
    }
  }

  @Override
  public void close() {
    queue.add(STOP);
  }
}
