package org.syncref.modelcheck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One external program run: its argv, working folder, extra environment, an optional timeout, and
 * what becomes of its output. Every child process of syncref (TLC's JVMs, the trace explainer,
 * tar, cp, apt-get, dpkg-query, kunit.py...) is started here, so that starting, draining the
 * pipes, waiting and the timeout are written once.
 *
 * <p>Standard output is either captured ({@link #run()}) or handed line by line to a consumer on
 * the calling thread while the program runs ({@link #run(Consumer)}, for progress). Standard
 * error is discarded unless it is merged into standard output ({@link #mergeStderr()}) or
 * written to a file ({@link #stderrTo(Path)}), so that a chatty program can never block on a
 * full pipe. On timeout the program and every process it started are killed (a build's make
 * children keep the pipe open otherwise) and the result says so. A program that is not
 * installed gives a {@link NotInstalledException} with a one-line message.
 *
 * <pre>{@code
 * Result r = ExternalCommand.of("tar", "-xJf", tar, "-C", dir).mergeStderr().timeout(Duration.ofMinutes(30))
 *     .run(err::println);
 * }</pre>
 */
public final class ExternalCommand {
  /** The program could not be started because it is not there (not on the PATH, or no such file). */
  public static final class NotInstalledException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String program;

    NotInstalledException(String program, IOException cause) {
      super(program + ": not installed (no such program" + (program.contains("/") ? "" : " on the PATH") + ")", cause);
      this.program = program;
    }

    /** The program as it was named in the argv. */
    public String program() {
      return program;
    }
  }

  /**
   * How a run ended.
   *
   * @param exit the exit code (meaningless when {@code timedOut}: the code of the killed process)
   * @param timedOut whether the timeout ran out and the program was killed
   * @param output the captured standard output (with stderr when merged); empty when streamed
   */
  public record Result(int exit, boolean timedOut, String output) {
    /** Whether the program ended by itself with exit code 0. */
    public boolean ok() {
      return !timedOut && exit == 0;
    }

    /** The captured output's lines. */
    public List<String> lines() {
      return output.lines().toList();
    }
  }

  private final List<String> argv;
  private Path dir;
  private final Map<String, String> env = new LinkedHashMap<>();
  private Duration timeout;
  private boolean mergeStderr;
  private Path stderrFile;

  private ExternalCommand(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("an empty command");
    }
    this.argv = List.copyOf(argv);
  }

  /** The program argv[0] with its arguments. */
  public static ExternalCommand of(List<String> argv) {
    return new ExternalCommand(argv);
  }

  /** The program argv[0] with its arguments. */
  public static ExternalCommand of(String... argv) {
    return new ExternalCommand(List.of(argv));
  }

  /** Runs the program in {@code folder} (default: this process's working folder). */
  public ExternalCommand in(Path folder) {
    this.dir = folder;
    return this;
  }

  /** Adds (or replaces) one variable of the environment the program inherits. */
  public ExternalCommand env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Kills the program (and what it started) when it has not ended after {@code limit}; default: no limit. */
  public ExternalCommand timeout(Duration limit) {
    this.timeout = limit;
    return this;
  }

  /** Standard error goes into standard output (captured or streamed with it). */
  public ExternalCommand mergeStderr() {
    this.mergeStderr = true;
    this.stderrFile = null;
    return this;
  }

  /** Standard error is written to {@code file} (replaced). */
  public ExternalCommand stderrTo(Path file) {
    this.stderrFile = file;
    this.mergeStderr = false;
    return this;
  }

  /** The argv, for messages. */
  public List<String> argv() {
    return argv;
  }

  /** Runs the program to its end and captures its standard output. */
  public Result run() throws IOException, InterruptedException {
    StringBuilder out = new StringBuilder();
    Result r = run(line -> out.append(line).append('\n'));
    return new Result(r.exit(), r.timedOut(), out.toString());
  }

  /**
   * Runs the program to its end, giving each line of its standard output to {@code eachLine} (on
   * this thread, as it comes). If the consumer throws, the program is killed and the exception
   * passes on. If this thread is interrupted while waiting, the program is killed and
   * InterruptedException thrown.
   */
  public Result run(Consumer<String> eachLine) throws IOException, InterruptedException {
    Process p = start();
    AtomicBoolean timedOut = new AtomicBoolean();
    Thread watchdog = null;
    if (timeout != null) {
      long deadline = System.nanoTime() + timeout.toNanos();
      watchdog = new Thread(() -> {
        try {
          long left;
          while ((left = deadline - System.nanoTime()) > 0) {
            if (p.waitFor(left, TimeUnit.NANOSECONDS)) {
              return;
            }
          }
          timedOut.set(true);
          kill(p);
        } catch (InterruptedException e) {
          // the run ended first
        }
      }, "timeout of " + argv.get(0));
      watchdog.setDaemon(true);
      watchdog.start();
    }
    boolean done = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        eachLine.accept(line);
      }
      int exit = p.waitFor();
      done = true;
      return new Result(exit, timedOut.get(), "");
    } finally {
      if (!done) {
        kill(p);
      }
      if (watchdog != null) {
        watchdog.interrupt();
      }
    }
  }

  private Process start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(argv));
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().putAll(env);
    if (mergeStderr) {
      pb.redirectErrorStream(true);
    } else if (stderrFile != null) {
      pb.redirectError(stderrFile.toFile());
    } else {
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      return pb.start();
    } catch (IOException e) {
      String program = argv.get(0);
      if (dir != null && !Files.isDirectory(dir)) {
        throw new IOException("cannot run " + program + ": no folder " + dir, e);
      }
      if (!installed(program)) {
        throw new NotInstalledException(program, e);
      }
      String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new IOException("cannot run " + program + ": " + why, e);
    }
  }

  /** Whether {@code program} names an executable file, or is found on the PATH. */
  public static boolean installed(String program) {
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program));
    }
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Kills the program and every process it started: the tree is listed first, then the program
   * killed (so that it cannot go on when a child dies), then the rest.
   */
  private static void kill(Process p) {
    List<ProcessHandle> tree = p.descendants().toList();
    p.destroyForcibly();
    tree.forEach(ProcessHandle::destroyForcibly);
  }
}
