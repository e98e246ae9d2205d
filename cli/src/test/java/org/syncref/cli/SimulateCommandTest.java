package org.syncref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.hw.ttm.HwBug;
import org.w3c.dom.Document;

/** {@code syncref simulate}: bad input, a default run's summary, each injected bug found, the HTML timeline. */
class SimulateCommandTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The summary table's rows: measure → count. */
  private static Map<String, Long> summary(String out) {
    Map<String, Long> m = new LinkedHashMap<>();
    Matcher x = Pattern.compile("(?m)^(\\S.*?|  \\S.*?)\\s{2,}(\\d+)$").matcher(out);
    while (x.find()) {
      m.put(x.group(1).strip(), Long.parseLong(x.group(2)));
    }
    return m;
  }

  @Test
  void badInputIsOneLineAndExitCode2() {
    for (List<String> args : List.of(List.of("--nope"), List.of("--objects", "0"), List.of("--objects", "x"),
        List.of("--bug", "nosuch"), List.of("--objects", "9", "--vram", "2", "--system", "4"),
        List.of("--timeouts", "101"), List.of("--minutes", "0"), List.of("stray"), List.of("--check", "kernel"),
        List.of("--spec-every", "0"))) {
      Run r = run(concat("simulate", args));
      assertEquals(2, r.code, args + ": " + r.err);
      assertEquals("", r.out, args.toString());
      assertEquals(1, r.err.strip().lines().count(), args + ":\n" + r.err);
      assertTrue(r.err.startsWith("syncref simulate: "), r.err);
      assertTrue(!r.err.contains("Exception"), r.err);
    }
    assertTrue(run("simulate", "--bug", "nosuch").err.contains("one of evict_waits_write, ignore_kernel"));
  }

  @Test
  void helpExplainsTheModelAndTheOptions() {
    Run r = run("simulate", "--help");
    assertEquals(0, r.code);
    for (String s : List.of("gfx", "comp", "sdma0", "one generic", "--driver", "--vram", "--bug", "no_move_fence",
        "--minutes", "--html", "Exit codes", "--check", "both, none",
        "spec/GpuMem/GpuMem.tla through TLC's", "frontier checker", "--spec-every", "--all-steps",
        "A timeout fires only on an engine that has hung", "counted by reason",
        "default (500 workloads, both checks) is chosen to stay under a minute")) {
      assertTrue(r.out.replaceAll("\\s+", " ").contains(s), s + " in\n" + r.out);
    }
  }

  @Test
  void defaultRunHasWorkAndNoViolation() {
    Run r = run("simulate");
    assertEquals(0, r.code, r.out + r.err);
    Map<String, Long> s = summary(r.out);
    for (String k : List.of("workloads", "jobs (user submissions)", "TTM copy jobs", "fences signalled",
        "with an error (-ETIME, -ECANCELED, ...)", "evictions", "moves", "ghosts freed", "validations failed (-ENOSPC/-EBUSY)",
        "contended validations", "backed off (-EDEADLK -> -ENOSPC)", "timeouts (engine resets)", "jobs they ended (hung -ETIME, others -ECANCELED)",
        "steps", "checked by hw's checks", "checked against spec/GpuMem", "workloads spec-checked to the end",
        "spec states explored", "largest spec frontier", "engine hangs")) {
      assertTrue(s.getOrDefault(k, 0L) > 0, k + " > 0 in\n" + r.out);
    }
    assertEquals(0L, s.get("violations"), r.out);
    assertEquals(s.get("steps"), s.get("checked by hw's checks"), r.out);
    assertEquals(s.get("steps"), s.get("checked against spec/GpuMem"),
        "every step is spec-checked, timeouts too\n" + r.out);
    assertTrue(s.get("spec states explored") >= s.get("checked against spec/GpuMem") / 2, r.out);
    Matcher rate = Pattern.compile("spec check: ([0-9.]+)% of the steps checked").matcher(r.out);
    assertTrue(rate.find(), r.out);
    assertEquals(100.0 * s.get("checked against spec/GpuMem") / s.get("steps"), Double.parseDouble(rate.group(1)),
        0.06, r.out);
    assertEquals(s.get("jobs (user submissions)") + s.get("TTM copy jobs"), s.get("fences signalled"),
        "every job's fence signalled once the workload drained\n" + r.out);
    assertTrue(r.out.contains(" jobs/s"), r.out);
  }

  /**
   * The spec check alone catches the bugs whose _bug models TLC rejects (MCGpuMem_evict_waits_write_bug,
   * MCGpuMem_no_move_fence_bug), so do hw's checks alone; with no check the same runs pass.
   */
  @Test
  void theSpecCheckAndHwsChecksEachCatchTheInjectedBugs() {
    for (String bug : List.of("evict_waits_write", "no_move_fence")) {
      Run spec = run("simulate", "--bug", bug, "--check", "spec", "--workloads", "300");
      assertEquals(1, spec.code, bug + "\n" + spec.out + spec.err);
      assertTrue(spec.out.startsWith("VIOLATION [spec GpuMem: no spec step agrees] "), bug + "\n" + spec.out);
      assertTrue(spec.out.contains("steps that led to it:\n   1. "), spec.out);
      assertTrue(spec.out.contains("the closest differs in "), spec.out);
      assertTrue(spec.out.contains(bug.equals("no_move_fence") ? "manFences[VRAM]: only the spec has [c" : "jobDeps[c"),
          bug + "\n" + spec.out);
      assertEquals(0L, summary(spec.out).get("checked by hw's checks"), spec.out);
      assertTrue(spec.out.contains("reproduce: syncref simulate --seed "), spec.out);
      assertTrue(spec.out.contains(" --check spec"), "the reproduce line keeps --check\n" + spec.out);

      Run java = run("simulate", "--bug", bug, "--check", "java", "--workloads", "300");
      assertEquals(1, java.code, bug + "\n" + java.out + java.err);
      assertTrue(java.out.startsWith("VIOLATION [MEM-"), bug + "\n" + java.out);
      assertTrue(!java.out.contains("checked against spec/GpuMem"), java.out);

      Run both = run("simulate", "--bug", bug, "--workloads", "300");
      assertEquals(1, both.code, bug + "\n" + both.out + both.err);
      assertTrue(both.out.lines().anyMatch(l -> l.startsWith("violated at step ") && l.contains(": [spec ")),
          "the spec check reports it beside hw's checks\n" + both.out);

      Run none = run("simulate", "--bug", bug, "--check", "none", "--workloads", "300");
      assertEquals(0, none.code, "with no check nothing is found\n" + none.out + none.err);
      assertEquals(0L, summary(none.out).get("violations"), none.out);
    }
  }

  @Test
  void theSampleAndTheStepsTheSpecDoesNotModelAreCounted() {
    Run sample = run("simulate", "--workloads", "40", "--spec-every", "4", "--check", "spec");
    assertEquals(0, sample.code, sample.out + sample.err);
    Map<String, Long> s = summary(sample.out);
    assertTrue(s.get("not spec-checked: sample: 1 workload in 4") > s.get("checked against spec/GpuMem"), sample.out);
    long counted = 0;
    for (Map.Entry<String, Long> e : s.entrySet()) {
      counted += e.getKey().startsWith("not spec-checked: ") ? e.getValue() : 0;
    }
    assertEquals(s.get("steps"), s.get("checked against spec/GpuMem") + counted, sample.out);

    Run all = run("simulate", "--workloads", "100", "--all-steps", "--timeouts", "0", "--check", "spec");
    assertEquals(0, all.code, all.out + all.err);
    Map<String, Long> a = summary(all.out);
    assertTrue(a.get("not spec-checked: two-object submissions (the spec's name one object)") > 0, all.out);
    assertTrue(a.get("not spec-checked: moves out of VRAM (the spec evicts only when VRAM is full)") > 0, all.out);
    assertTrue(!all.out.contains("timeouts (hw cancels"), all.out);

    Run spec = run("simulate", "--workloads", "100", "--timeouts", "0", "--check", "spec");
    assertEquals(0, spec.code, spec.out + spec.err);
    assertEquals(summary(spec.out).get("steps"), summary(spec.out).get("checked against spec/GpuMem"),
        "without timeouts every step of the spec's workloads is spec-checked\n" + spec.out);
  }

  /** The generated model follows the workload's sizes: other objects, ranges and job bounds agree at every step. */
  @Test
  void theSpecModelFollowsTheSizes() {
    for (String[] sizes : List.of(new String[] {"4", "1", "3", "5"}, new String[] {"2", "3", "1", "3"})) {
      Run r = run("simulate", "--objects", sizes[0], "--vram", sizes[1], "--system", sizes[2], "--jobs", sizes[3],
          "--workloads", "40", "--timeouts", "0", "--check", "spec");
      assertEquals(0, r.code, List.of(sizes) + "\n" + r.out + r.err);
      Map<String, Long> s = summary(r.out);
      assertTrue(s.get("steps") > 100, r.out);
      assertEquals(s.get("steps"), s.get("checked against spec/GpuMem"), r.out);
      int jobs = Integer.parseInt(sizes[3]);
      assertTrue(r.out.contains("(model: " + jobs + " fences per user engine, " + (jobs + 1)
          + " copy fences and ghosts)"), r.out);
    }
  }

  @Test
  void sameSeedSameRun() {
    Run a = run("simulate", "--workloads", "50", "--seed", "7");
    Run b = run("simulate", "--workloads", "50", "--seed", "7");
    assertEquals(summary(a.out), summary(b.out));
  }

  @Test
  void eachInjectedBugIsFoundWithItsSteps() {
    for (HwBug bug : HwBug.values()) {
      String name = bug.name().toLowerCase(Locale.ROOT);
      if (org.syncref.simulate.SimulateCommand.NOT_SIMULATED.containsKey(bug)) {
        continue; // refused with exit 2: otherBugsAreRefusedAndEachDriverRuns
      }
      if (org.syncref.simulate.VmSimulation.isVmBug(bug)) {
        continue; // run under --vm: eachVmBugIsCaughtUnderVm
      }
      String driver = org.syncref.simulate.SimulateCommand.driverOf(bug);
      Run r = driver == null ? run("simulate", "--bug", name) : run("simulate", "--driver", driver, "--bug", name);
      assertEquals(1, r.code, name + "\n" + r.out + r.err);
      assertTrue(r.out.startsWith("VIOLATION ["), name + "\n" + r.out);
      assertTrue(r.out.contains("steps that led to it:\n   1. "), name + "\n" + r.out);
      assertTrue(r.out.contains("        kernel: "), name + "\n" + r.out);
      assertTrue(r.out.contains("reproduce: syncref simulate --seed "), r.out);
      assertTrue(summary(r.out).get("violations") >= 1, r.out);
      // the reproduce line replays the violating workload alone
      String line = r.out.lines().filter(l -> l.startsWith("reproduce: ")).findFirst().orElseThrow();
      String[] args = line.substring("reproduce: syncref ".length()).split(" ");
      Run again = run(args);
      assertEquals(1, again.code, line);
      assertEquals(r.out.lines().findFirst(), again.out.lines().findFirst(), line);
    }
  }

  /**
   * The bugs not in this system's code (the userptr's) are refused with one line and exit 2, as
   * is a driver policy's bug without its --driver; each driver runs clean.
   */
  @Test
  void otherBugsAreRefusedAndEachDriverRuns() {
    int refused = 0;
    for (HwBug bug : HwBug.values()) {
      if (org.syncref.simulate.SimulateCommand.NOT_SIMULATED.containsKey(bug)) {
        Run r = run("simulate", "--bug", bug.name().toLowerCase(Locale.ROOT));
        assertEquals(2, r.code, bug + ": " + r.out + r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains("userptr") || r.err.contains("VMs"), r.err);
        refused++;
      }
    }
    assertEquals(org.syncref.simulate.SimulateCommand.NOT_SIMULATED.size(), refused);
    assertTrue(refused >= 3);
    Run r = run("simulate", "--bug", "amdgpu_skip_moves");
    assertEquals(2, r.code, r.err);
    assertTrue(r.err.contains("--driver amdgpu"), r.err);
    assertEquals(2, run("simulate", "--driver", "nosuch").code);
    for (String d : List.of("amdgpu", "xe", "i915")) {
      Run x = run("simulate", "--driver", d, "--workloads", "200");
      assertEquals(0, x.code, d + ": " + x.out + x.err);
      assertEquals(0L, summary(x.out).get("violations"), x.out);
    }
  }

  @Test
  void htmlTimelineIsWellFormed(@TempDir Path dir) throws Exception {
    for (String bug : new String[] {null, "rw_swapped"}) {
      Path f = dir.resolve("t" + bug + ".html");
      Run r = bug == null ? run("simulate", "--workloads", "3", "--html", f.toString())
          : run("simulate", "--bug", bug, "--html", f.toString());
      assertEquals(bug == null ? 0 : 1, r.code, r.err);
      String html = Files.readString(f);
      assertTrue(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""));
      assertTrue(!html.contains("<script") && !html.contains("src="), "self-contained");
      Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
      assertTrue(d.getElementsByTagName("svg").getLength() == 1);
      assertTrue(d.getElementsByTagName("rect").getLength() > 3, html);
      assertEquals(bug != null, html.contains("class=\"viol\""), "the violating step is highlighted");
    }
  }

  @Test
  void costComparesCheckedAndUncheckedRunsOfTheSameWorkloads() {
    Run r = run("simulate", "--workloads", "100", "--cost", "--check", "java");
    assertEquals(0, r.code, r.err);
    long jobs = -1;
    for (String label : List.of("no checks (baseline)", "hw's checks after every step", "spec check after every step",
        "both after every step")) {
      Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "\\s+(\\d+)\\s+[0-9.]+\\s+(\\d+)\\s+([0-9.]+)x$")
          .matcher(r.out);
      assertTrue(m.find(), label + " in\n" + r.out);
      assertTrue(jobs == -1 || jobs == Long.parseLong(m.group(1)), "the same workloads, the same jobs\n" + r.out);
      jobs = Long.parseLong(m.group(1));
      assertTrue(Double.parseDouble(m.group(3)) > 0, r.out);
    }
    assertTrue(r.out.contains("time per job against the baseline's"), r.out);
  }

  @Test
  void soakPrintsHeapFigures() {
    Run r = run("simulate", "--minutes", "0.02");
    assertEquals(0, r.code, r.err);
    assertTrue(r.err.contains("heap after gc: "), r.err);
    assertTrue(summary(r.out).get("workloads") > 0, r.out);
  }

  @Test
  void faultsAreInjectedCountedAndLoseNothing() {
    Run r = run("simulate", "--workloads", "200", "--faults", "10");
    assertEquals(0, r.code, r.out + r.err);
    Map<String, Long> s = summary(r.out);
    for (String k : List.of("hangs", "resets", "kills", "interrupted submits (LOCKING)",
        "interrupted submits (BEFORE_ARM)", "interrupted submits (AFTER_ARM)", "unloads", "callbacks",
        "jobs queued at a kill", "jobs on the hardware at unload")) {
      assertTrue(s.getOrDefault(k, 0L) > 0, k + " > 0 in\n" + r.out);
    }
    assertEquals(0L, s.get("violations"), r.out);
    Run bad = run("simulate", "--faults", "101");
    assertEquals(2, bad.code, bad.err);
    assertEquals(1, bad.err.strip().lines().count(), bad.err);
  }

  /**
   * --vm: workloads on hw's GpuVmSystem with a TLB; mainline breaks no check, the context is preempted,
   * rebound, resumed, its TLB flushed; every step is checked by hw's checks and the summary says that none is
   * checked against the spec. Without the TLB (--no-tlb), no flush.
   */
  @Test
  void vmMainlineRunPreemptsFlushesAndHasNoViolation() {
    Run r = run("simulate", "--vm");
    assertEquals(0, r.code, r.out + r.err);
    Map<String, Long> s = summary(r.out);
    for (String k : List.of("workloads", "jobs (user submissions)", "copy-engine jobs (TTM copies, page-table updates)",
        "evictions", "moves", "context starts", "preemption fences' enable_signaling",
        "preemptions (preemption fences signalled)", "rebinds", "resumes", "unmaps", "page-table updates",
        "TLB flushes", "LR-context accesses", "steps", "checked by hw's checks")) {
      assertTrue(s.getOrDefault(k, 0L) > 0, k + " > 0 in\n" + r.out);
    }
    assertEquals(0L, s.get("violations"), r.out);
    assertEquals(s.get("steps"), s.get("checked by hw's checks"), r.out);
    assertEquals(0L, s.get("checked against the spec"), r.out);
    assertTrue(r.out.contains("steps checked against the spec: 0 of " + s.get("steps")
        + " (VM steps are checked by hw's checks only"), r.out);
    assertEquals(s.get("jobs (user submissions)") + s.get("copy-engine jobs (TTM copies, page-table updates)"),
        s.get("fences signalled (jobs')"), "every job's fence signalled once the workload drained\n" + r.out);
    Run noTlb = run("simulate", "--vm", "--no-tlb", "--workloads", "200");
    assertEquals(0, noTlb.code, noTlb.out + noTlb.err);
    Map<String, Long> n = summary(noTlb.out);
    assertEquals(0L, n.get("violations"), noTlb.out);
    assertEquals(0L, n.get("TLB flushes"), noTlb.out);
    assertTrue(n.get("preemptions (preemption fences signalled)") > 0 && n.get("page-table updates") > 0,
        noTlb.out);
    assertTrue(noTlb.out.contains("GpuMemVm.tla"), noTlb.out);
  }

  /**
   * Each bug of hw's VMs runs under --vm (implied by its --bug, in its worker flow) and is caught by hw's
   * check of its rule, as VmWalkProperties catches it, with the steps that led to it and a reproduce line that
   * replays it; with --check none the same workloads pass (the checks catch it, nothing else does). The sizes
   * given are those with which the workloads reach the bug: replace_stub is GpuMemVm's (no TLB: with the TLB,
   * the unmap's flush fence, BOOKKEEP, guards the old range as well); the TLB bugs need longer workloads.
   */
  @Test
  void eachVmBugIsCaughtUnderVm() {
    Map<HwBug, List<String>> cases = new LinkedHashMap<>();
    cases.put(HwBug.EVICT_SKIPS_BOOKKEEP, List.of("MEM-PT-BOOKKEEP"));
    cases.put(HwBug.RESUME_NO_REBIND, List.of("MEM-NO-STALE-ACCESS"));
    cases.put(HwBug.RESUME_BEFORE_FLUSH, List.of("MEM-NO-STALE-ACCESS"));
    cases.put(HwBug.REPLACE_STUB, List.of("MEM-PT-BOOKKEEP", "--no-tlb"));
    cases.put(HwBug.NO_TLB_FENCE, List.of("MEM-TLB-FLUSHED", "--jobs", "16"));
    cases.put(HwBug.FLUSH_BEFORE_UPDATE, List.of("MEM-TLB-FLUSHED", "--jobs", "32"));
    assertEquals(org.syncref.simulate.VmSimulation.VM_BUGS, cases.keySet());
    for (var e : cases.entrySet()) {
      String name = e.getKey().name().toLowerCase(Locale.ROOT);
      String rule = e.getValue().get(0);
      List<String> args = new java.util.ArrayList<>(List.of("--bug", name));
      args.addAll(e.getValue().subList(1, e.getValue().size()));
      Run r = run(concat("simulate", args));
      assertEquals(1, r.code, name + "\n" + r.out + r.err);
      assertTrue(r.out.startsWith("VIOLATION [" + rule + "] "), name + "\n" + r.out);
      assertTrue(r.out.contains("steps that led to it:\n   1. "), name + "\n" + r.out);
      assertTrue(r.out.contains("        kernel: "), name + "\n" + r.out);
      assertTrue(r.out.contains("        history: "), name + "\n" + r.out);
      assertTrue(summary(r.out).get("violations") >= 1, r.out);
      String line = r.out.lines().filter(l -> l.startsWith("reproduce: ")).findFirst().orElseThrow();
      assertTrue(line.contains(" --vm"), line);
      Run again = run(line.substring("reproduce: syncref ".length()).split(" "));
      assertEquals(1, again.code, line);
      assertEquals(r.out.lines().findFirst(), again.out.lines().findFirst(), line);
      // the same with --vm given, and the same workloads unchecked pass
      List<String> explicit = new java.util.ArrayList<>(args);
      explicit.add("--vm");
      assertEquals(r.out.lines().findFirst(), run(concat("simulate", explicit)).out.lines().findFirst(), name);
      String seed = line.replaceAll(".* --seed (\\d+) .*", "$1");
      List<String> none = new java.util.ArrayList<>(args);
      none.addAll(List.of("--check", "none", "--workloads", String.valueOf(Long.parseLong(seed) + 1)));
      Run unchecked = run(concat("simulate", none));
      assertEquals(0, unchecked.code, name + " --check none\n" + unchecked.out + unchecked.err);
      assertEquals(0L, summary(unchecked.out).get("checked by hw's checks"), unchecked.out);
    }
  }

  /** --vm's timeline has a VM row with the preemptions (P) and TLB flushes (T); it stays well-formed. */
  @Test
  void vmHtmlTimelineShowsPreemptionsAndFlushes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("vm.html");
    Run r = run("simulate", "--vm", "--html", f.toString());
    assertEquals(0, r.code, r.err);
    String html = Files.readString(f);
    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
    assertTrue(html.contains(">VM</text>"), html);
    assertTrue(Pattern.compile("class=\"vmmark\"[^>]*><title>\\d+\\. PreemptWork\\(").matcher(html).find(), html);
    assertTrue(Pattern.compile("<title>\\d+\\. TlbFlush\\([^<]*</title>T</text>").matcher(html).find(), html);
    Path plain = dir.resolve("plain.html");
    assertEquals(0, run("simulate", "--workloads", "3", "--check", "java", "--html", plain.toString()).code);
    assertTrue(!Files.readString(plain).contains(">VM</text>"), "no VM row without --vm");
  }

  /**
   * --vm --check spec: the conformance model's VM workloads, every operation checked against
   * GpuMemTlb.tla through TLC's evaluator; mainline passes, and a VM bug is caught by the spec check
   * with the operations that led to it and a reproduce line (two of the six here, to keep the test
   * short: evict_skips_bookkeep by a state the spec does not reach, resume_before_flush by a step the
   * spec cannot take; the others are in hw/README.md).
   */
  @Test
  void vmSpecCheckChecksEveryOperationAndCatchesVmBugs() {
    Run ok = run("simulate", "--vm", "--check", "spec", "--workloads", "20");
    assertEquals(0, ok.code, ok.out + ok.err);
    Map<String, Long> s = summary(ok.out);
    assertTrue(s.get("operations") > 200, ok.out);
    assertEquals(s.get("operations"), s.get("checked against the spec"), ok.out);
    assertTrue(s.get("PreemptWork") > 0 && s.get("TlbFlush") > 0, ok.out);
    assertEquals(0L, s.get("violations"), ok.out);
    for (String bug : List.of("evict_skips_bookkeep", "resume_before_flush")) {
      Run r = run("simulate", "--vm", "--check", "spec", "--bug", bug);
      assertEquals(1, r.code, bug + "\n" + r.out + r.err);
      assertTrue(r.out.startsWith("VIOLATION [spec GpuMemTlb] "), bug + "\n" + r.out);
      assertTrue(r.out.contains("the operations that led to it:\n   1. "), bug + "\n" + r.out);
      String line = r.out.lines().filter(l -> l.startsWith("reproduce: ")).findFirst().orElseThrow();
      Run again = run(line.substring("reproduce: syncref ".length()).split(" "));
      assertEquals(r.out.lines().findFirst(), again.out.lines().findFirst(), line);
    }
  }

  /** --vm's options that do not apply are refused with one line naming them. */
  @Test
  void vmBadInputIsOneLine() {
    for (List<String> args : List.of(List.of("--vm", "--driver", "amdgpu"), List.of("--vm", "--bug", "rw_swapped"),
        List.of("--no-tlb"), List.of("--vm-flows", "rebind"), List.of("--vm", "--check", "spec", "--html", "x.html"),
        List.of("--vm", "--faults", "10"), List.of("--vm", "--vm-flows", "nosuch"), List.of("--vm", "--cost"),
        List.of("--bug", "no_tlb_fence", "--bug", "rw_swapped"))) {
      Run r = run(concat("simulate", args));
      assertEquals(2, r.code, args + ": " + r.out + r.err);
      assertEquals("", r.out, args.toString());
      assertEquals(1, r.err.strip().lines().count(), args + ":\n" + r.err);
      assertTrue(r.err.startsWith("syncref simulate: ") && !r.err.contains("Exception"), r.err);
    }
    Run h = run("simulate", "--help");
    for (String s : List.of("--vm", "--no-tlb", "--vm-flows", "checked by hw's checks only", "0 of N")) {
      assertTrue(h.out.replaceAll("\\s+", " ").contains(s), s + " in\n" + h.out);
    }
  }

  /**
   * Hangs and timeouts are GpuResetNext's steps (HangJob, then ResetStop, ResetCancel,
   * ResetSetError, ResetSignal): mainline's errors (the hung job -ETIME, the others -ECANCELED)
   * pass the spec check at every step; hw's RESET_FORGETS_ERROR (the hung job signals without
   * -ETIME) is caught by the spec check alone, outside --faults (whose NOTHING-LOST also finds it),
   * through the observed fence error, and is not found with no check.
   */
  @Test
  void hangsAndTimeoutsAreSpecCheckedAndAForgottenErrorIsCaught() {
    Run ok = run("simulate", "--workloads", "150", "--timeouts", "100", "--check", "spec");
    assertEquals(0, ok.code, ok.out + ok.err);
    Map<String, Long> s = summary(ok.out);
    assertTrue(s.get("engine hangs") > 50, ok.out);
    assertTrue(s.get("timeouts (engine resets)") > 50, ok.out);
    assertTrue(s.get("jobs they ended (hung -ETIME, others -ECANCELED)") > s.get("timeouts (engine resets)"), ok.out);
    assertEquals(s.get("steps"), s.get("checked against spec/GpuMem"), "every hang and timeout spec-checked\n" + ok.out);
    assertEquals(s.get("workloads"), s.get("workloads spec-checked to the end"), ok.out);
    assertEquals(0L, s.get("violations"), ok.out);
    assertTrue(!ok.out.contains("not spec-checked"), ok.out);

    Run bug = run("simulate", "--bug", "reset_forgets_error", "--faults", "0", "--check", "spec", "--workloads", "300");
    assertEquals(1, bug.code, bug.out + bug.err);
    assertTrue(bug.out.startsWith("VIOLATION [spec GpuMem: no spec step agrees] Timeout("), bug.out);
    assertTrue(bug.out.contains("[ResetSetError["), bug.out);
    assertTrue(Pattern.compile("the closest differs in error\\[[gkc]\\d+\\]: spec -62, Java 0").matcher(bug.out).find(),
        bug.out);
    assertTrue(bug.out.contains(" --faults 0"), "the reproduce line keeps --faults 0\n" + bug.out);

    Run none = run("simulate", "--bug", "reset_forgets_error", "--faults", "0", "--check", "none", "--workloads", "300");
    assertEquals(0, none.code, "with no check nothing is found\n" + none.out + none.err);
  }

  private static String[] concat(String first, List<String> rest) {
    String[] a = new String[rest.size() + 1];
    a[0] = first;
    for (int i = 0; i < rest.size(); i++) {
      a[i + 1] = rest.get(i);
    }
    return a;
  }
}
