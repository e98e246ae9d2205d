package org.syncref.kernelcheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the UML console of a kernel-check run: the {@code SR|...} lines of the generated suite
 * (see {@link CGenerator}) and the kernel's WARNING splats, which are attributed to the call that
 * the same task was executing (its {@code SR|B} line).
 */
final class ConsoleParser {
  /** A step of a thread: a call that returned, was not executed, or blocked. */
  record Step(int tid, int site, char how, String detail, int kind, long value) {}

  /** A WARN splat. */
  record Warn(int tid, int site, String where, String function, String message) {}

  /** One trial of a case. */
  static final class Trial {
    final int n;
    final List<Step> steps = new ArrayList<>();
    final List<Warn> warns = new ArrayList<>();
    /** expect results: "tid|line|col" -> ok */
    final Map<String, Boolean> expects = new LinkedHashMap<>();
    boolean hasOutcome;
    boolean hung;
    long sigmask;
    int[] stopped = new int[0];
    /** (tid, reg) -> (kind, value) */
    final Map<Long, long[]> regs = new LinkedHashMap<>();
    boolean teardown;

    Trial(int n) {
      this.n = n;
    }
  }

  /** One case (one litmus file). */
  static final class CaseRun {
    final int index;
    final List<Trial> trials = new ArrayList<>();
    boolean ended;
    boolean leftBlocked;

    CaseRun(int index) {
      this.index = index;
    }
  }

  final Map<Integer, CaseRun> cases = new LinkedHashMap<>();
  /** a kernel BUG or panic line, if the kernel died */
  String crash;
  private final Path tree;

  ConsoleParser(Path tree) {
    this.tree = tree;
  }

  private static final Pattern WARNING =
      Pattern.compile("WARNING: CPU: \\d+ PID: (\\d+) at (\\S+):(\\d+) ([A-Za-z0-9_.]+)\\+0x");
  private static final Pattern WARNING_NOFILE = Pattern.compile("WARNING: CPU: \\d+ PID: (\\d+) at ([A-Za-z0-9_.]+)\\+0x");
  /**
   * lockdep's reports of the misuse that DEBUG_LOCKS_WARN_ON / MUTEX_WARN_ON report in builds
   * without lockdep (kernel/locking/lockdep.c print_unlock_imbalance_bug):
   * with CONFIG_DEBUG_LOCK_ALLOC lockdep sees it first, prints this banner (not a WARN() splat)
   * and turns debug_locks off, which silences the DEBUG_LOCKS_WARN_ON that follows. The task
   * comes a few lines later ("NAME/PID is trying to release lock").
   */
  private static final Pattern LOCKDEP =
      Pattern.compile("WARNING: (bad unlock balance detected!|Nested lock was not taken)");
  private static final Pattern LOCKDEP_TASK = Pattern.compile("\\S+/(\\d+) is trying to (?:release )?lock");

  void parse(List<String> lines) {
    CaseRun cur = null;
    Trial trial = null;
    Map<Integer, int[]> open = new HashMap<>(); // pid -> {tid, site}
    String lastMessage = "";
    String lockdepReport = null;
    for (String raw : lines) {
      int at = raw.indexOf("SR|");
      if (at >= 0) {
        String[] f = raw.substring(at).trim().split("\\|", -1);
        try {
          switch (f[1]) {
            case "C" -> {
              cur = new CaseRun(Integer.parseInt(f[2]));
              cases.put(cur.index, cur);
              trial = null;
              open.clear();
            }
            case "T" -> {
              if (cur != null) {
                trial = new Trial(Integer.parseInt(f[2]));
                cur.trials.add(trial);
                open.clear();
              }
            }
            case "B" -> open.put(Integer.parseInt(f[2]), new int[] {Integer.parseInt(f[3]), Integer.parseInt(f[4])});
            case "R" -> {
              if (trial != null) {
                int tid = Integer.parseInt(f[2]);
                int site = Integer.parseInt(f[3]);
                trial.steps.add(new Step(tid, site, 'R', "", Integer.parseInt(f[4]), Long.parseLong(f[5])));
                open.values().removeIf(o -> o[0] == tid && o[1] == site);
              }
            }
            case "X", "P" -> {
              if (trial != null) {
                trial.steps.add(new Step(Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[1].charAt(0), f[4],
                    0, f.length > 5 && !f[5].isEmpty() ? Long.parseLong(f[5]) : 0));
              }
            }
            case "E" -> {
              if (trial != null) {
                trial.expects.put(f[2] + "|" + f[3] + "|" + f[4], f[5].equals("1"));
              }
            }
            case "O" -> {
              if (trial != null) {
                trial.hasOutcome = true;
                trial.hung = f[3].equals("1");
                trial.sigmask = Long.parseLong(f[4]);
                String[] st = f[5].split(",");
                trial.stopped = new int[st.length];
                for (int i = 0; i < st.length; i++) {
                  trial.stopped[i] = Integer.parseInt(st[i]);
                }
                for (String r : f[6].split(",")) {
                  if (r.isEmpty()) {
                    continue;
                  }
                  String[] x = r.split(":");
                  trial.regs.put(((long) Integer.parseInt(x[0]) << 32) | Integer.parseInt(x[1]),
                      new long[] {Long.parseLong(x[2]), Long.parseLong(x[3])});
                }
              }
            }
            case "D" -> {
              if (trial != null) {
                trial.teardown = true;
              }
            }
            case "H" -> {
              if (cur != null) {
                cur.leftBlocked = true;
              }
            }
            case "Z" -> {
              if (cur != null) {
                cur.ended = true;
              }
              trial = null;
            }
            default -> {
              // not ours
            }
          }
        } catch (RuntimeException e) {
          // a line cut by a crash: ignored
        }
        continue;
      }
      Matcher ld = LOCKDEP.matcher(raw);
      if (ld.find()) {
        lockdepReport = "lockdep: " + ld.group(1).replace("!", "");
        continue;
      }
      if (lockdepReport != null) {
        Matcher lt = LOCKDEP_TASK.matcher(raw);
        if (lt.find()) {
          int pid = Integer.parseInt(lt.group(1));
          if (trial != null && !trial.teardown) {
            int[] o = open.get(pid);
            trial.warns.add(new Warn(o == null ? -1 : o[0], o == null ? -1 : o[1], lockdepReport, null, lockdepReport));
          }
          lockdepReport = null;
          continue;
        }
      }
      Matcher m = WARNING.matcher(raw);
      Matcher m2 = WARNING_NOFILE.matcher(raw);
      if (m.find() || m2.find()) {
        boolean withFile = m.find(0);
        int pid = Integer.parseInt(withFile ? m.group(1) : m2.group(1));
        String where = withFile ? relative(m.group(2)) + ":" + m.group(3) : "";
        String sym = withFile ? m.group(4) : m2.group(2);
        String fn = withFile ? enclosingFunction(relative(m.group(2)), Integer.parseInt(m.group(3))) : null;
        if (trial != null && !trial.teardown) {
          int[] o = open.get(pid);
          trial.warns.add(new Warn(o == null ? -1 : o[0], o == null ? -1 : o[1], where + " (" + sym + ")",
              fn == null ? sym : fn, lastMessage));
        }
        continue;
      }
      if (raw.contains("kernel BUG at") || raw.contains("Kernel panic") || raw.contains("Oops:")) {
        if (crash == null) {
          crash = raw.trim();
        }
      }
      if (!raw.isBlank()) {
        lastMessage = raw.trim();
      }
    }
  }

  private String relative(String file) {
    int i = file.indexOf("/overlay/");
    return i >= 0 ? file.substring(i + "/overlay/".length()) : file;
  }

  private static final Pattern FN_HEADER = Pattern.compile("^(?:[A-Za-z_][\\w\\s\\*]*?[\\s\\*])?([A-Za-z_]\\w*)\\s*\\(");

  /** The function whose body holds file:line (the WARN's own function, also for inline functions). */
  String enclosingFunction(String file, int line) {
    if (tree == null) {
      return null;
    }
    Path p = tree.resolve(file);
    try {
      List<String> src = Files.readAllLines(p);
      for (int i = Math.min(line, src.size()) - 1; i >= 0; i--) {
        String s = src.get(i);
        if (s.isEmpty() || Character.isWhitespace(s.charAt(0)) || s.startsWith("#") || s.startsWith("{")
            || s.startsWith("}") || s.startsWith("/") || s.startsWith("*")) {
          continue;
        }
        if (s.trim().endsWith(";")) {
          continue;
        }
        Matcher m = FN_HEADER.matcher(s);
        if (m.find()) {
          return m.group(1);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** The WARN functions' set, for messages. */
  static TreeSet<String> names(List<Warn> w) {
    TreeSet<String> s = new TreeSet<>();
    for (Warn x : w) {
      s.add(x.function());
    }
    return s;
  }
}
