package org.syncref.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One workload as a self-contained HTML page (inline SVG and CSS, no script, no network): a lane
 * per engine against the step number, each job a bar from its arming (light: waiting in its
 * entity) through run_job (dark: on the ring) to its fence's signal (a dot; red if signalled with
 * an error), a red triangle where the engine timed out and was reset; a TTM row with evictions (E),
 * moves (M) and ghost frees (G); with --vm a VM row (context start, preemptions, rebinds, resumes,
 * unmaps, TLB flushes, accesses; {@link #vmRow}); the
 * violating step as a red band, the jobs its message names outlined in red; the numbered steps
 * below.
 */
final class HtmlTimeline {
  private static final String[] LANES = {"gfx", "comp", "sdma0"};
  private static final int LEFT = 70;
  private static final int ROW = 16;

  private HtmlTimeline() {}

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static String render(Simulation.Workload w, Simulation.Params p) {
    int n = Math.max(1, w.steps().size());
    int sw = Math.max(4, Math.min(24, 1400 / n));
    int violationStep = w.problems().isEmpty() ? -1 : w.problems().get(0).step();
    List<String> culprits = new ArrayList<>();
    if (!w.problems().isEmpty()) {
      Matcher m = Pattern.compile("\\b((?:j|evict|move)\\d+(?::\\w+)?)").matcher(w.problems().get(0).message());
      while (m.find()) {
        culprits.add(m.group(1));
      }
    }
    // rows per lane: greedy, a job takes the first row free at its arming step
    Map<String, List<List<Simulation.JobLife>>> rows = new LinkedHashMap<>();
    for (String l : LANES) {
      rows.put(l, new ArrayList<>());
    }
    for (Simulation.JobLife j : w.jobs().values()) {
      List<List<Simulation.JobLife>> lane = rows.computeIfAbsent(j.sched, k -> new ArrayList<>());
      List<Simulation.JobLife> free = null;
      for (List<Simulation.JobLife> r : lane) {
        Simulation.JobLife last = r.get(r.size() - 1);
        int end = last.done > 0 ? last.done : n;
        if (end < j.armed) {
          free = r;
          break;
        }
      }
      if (free == null) {
        free = new ArrayList<>();
        lane.add(free);
      }
      free.add(j);
    }
    StringBuilder svg = new StringBuilder();
    int y = 24;
    int width = LEFT + n * sw + 20;
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, List<List<Simulation.JobLife>>> lane : rows.entrySet()) {
      int h = Math.max(1, lane.getValue().size()) * ROW + 8;
      body.append(String.format("<rect class=\"lane\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n", y, width, h));
      body.append(String.format("<text class=\"lname\" x=\"4\" y=\"%d\">%s</text>%n", y + 14, esc(lane.getKey())));
      int r = 0;
      for (List<Simulation.JobLife> row : lane.getValue()) {
        int by = y + 4 + r * ROW;
        for (Simulation.JobLife j : row) {
          int end = j.done > 0 ? j.done : n;
          int run = j.running > 0 ? j.running : end;
          boolean culprit = culprits.contains(j.name);
          String tip = j.name + ": armed at step " + j.armed + (j.running > 0 ? ", run_job at " + j.running : "")
              + (j.done > 0 ? ", signalled at " + j.done + (j.result < 0 ? " with error " + j.result : "")
                  : ", never signalled");
          body.append(String.format("<g%s><title>%s</title>", culprit ? " class=\"culprit\"" : "", esc(tip)));
          body.append(String.format("<rect class=\"queued\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
              x(j.armed, sw), by, Math.max(2, (run - j.armed) * sw), ROW - 4));
          if (j.running > 0) {
            body.append(String.format("<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                j.result < 0 ? "ring err" : "ring", x(run, sw), by, Math.max(2, (end - run) * sw), ROW - 4));
          }
          if (j.done > 0) {
            body.append(String.format("<circle class=\"%s\" cx=\"%d\" cy=\"%d\" r=\"3.5\"/>",
                j.result < 0 ? "sig err" : "sig", x(j.done, sw) + sw / 2, by + (ROW - 4) / 2));
          }
          body.append(String.format("<text class=\"jname\" x=\"%d\" y=\"%d\">%s</text></g>%n", x(j.armed, sw) + 2,
              by + ROW - 7, esc(j.name)));
        }
        r++;
      }
      for (Simulation.StepRecord s : w.steps()) {
        if (s.name().equals("Timeout(" + lane.getKey() + ")")) {
          int cx = x(s.index(), sw) + sw / 2;
          body.append(String.format("<polygon class=\"reset\" points=\"%d,%d %d,%d %d,%d\"><title>%s</title></polygon>%n",
              cx - 5, y, cx + 5, y, cx, y + 8, esc(s.index() + ". " + s.name() + ": drm_sched_job_timedout, engine"
                  + " reset, pending jobs cancelled")));
        }
      }
      y += h + 4;
    }
    // the TTM row: evictions, moves, ghost frees
    body.append(String.format("<rect class=\"lane\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n", y, width, ROW + 8));
    body.append(String.format("<text class=\"lname\" x=\"4\" y=\"%d\">TTM</text>%n", y + 16));
    for (Simulation.StepRecord s : w.steps()) {
      StringBuilder marks = new StringBuilder();
      for (String e : s.events()) {
        marks.append(e.startsWith("EvictArm(") ? "E" : e.startsWith("MoveInArm(") ? "M"
            : e.startsWith("GhostFree") ? "G" : "");
      }
      if (marks.length() > 0) {
        body.append(String.format("<text class=\"mark\" x=\"%d\" y=\"%d\"><title>%s</title>%s</text>%n",
            x(s.index(), sw), y + 16, esc(s.index() + ". " + s.name() + "\n" + String.join("\n", s.events())),
            marks));
      }
    }
    y += ROW + 12;
    y = vmRow(w, body, y, width, sw);
    // the step axis, and the violating step's band
    svg.append(body);
    if (violationStep > 0) {
      svg.append(String.format("<rect class=\"viol\" x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\"><title>%s</title></rect>%n",
          x(violationStep, sw), sw, y, esc("step " + violationStep + ": " + w.problems().get(0))));
    }
    int tick = Math.max(1, 50 / sw);
    for (int i = 1; i <= n; i += tick) {
      svg.append(String.format("<text class=\"tick\" x=\"%d\" y=\"14\">%d</text>%n", x(i, sw), i));
    }
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    html.append("<title>syncref simulate: workload seed ").append(w.seed()).append("</title>\n");
    html.append("<style>\n"
        + "body{font-family:sans-serif;margin:1em;color:#222}\n"
        + "svg{border:1px solid #ccc;background:#fff}\n"
        + ".lane{fill:#f6f6f6;stroke:#ddd}\n.lname{font-size:12px;font-weight:bold}\n"
        + ".tick{font-size:9px;fill:#666}\n.jname{font-size:9px;fill:#000}\n"
        + ".queued{fill:#bcd4f0}\n.ring{fill:#4a7fc0}\n.ring.err{fill:#d9822b}\n"
        + ".sig{fill:#1a8f3a}\n.sig.err{fill:#c0392b}\n.viol{fill:#e00;fill-opacity:0.25}\n"
        + ".culprit rect{stroke:#c00;stroke-width:2}\n.reset{fill:#c00}\n.mark{font-size:11px;font-weight:bold;fill:#7a3fa0}\n"
        + ".vmmark{font-size:11px;font-weight:bold;fill:#0a7a7a}\n"
        + "ol li.bad{background:#f8c0c0}\n.ev{color:#555;font-size:90%}\n"
        + "</style>\n</head>\n<body>\n");
    html.append("<h1>syncref simulate: workload seed ").append(w.seed()).append("</h1>\n");
    html.append("<p>").append(esc(w.objects().size() + " objects (" + String.join(", ", w.objects()) + "); "
        + p.vram() + " VRAM and " + p.system() + " SYSTEM ranges; at most " + p.maxJobs() + " jobs; bugs: "
        + (p.bugs().isEmpty() ? "none (mainline)" : p.bugs().toString()))).append("</p>\n");
    if (violationStep > 0) {
      html.append("<p><strong>Violation at step ").append(violationStep).append(":</strong> ")
          .append(esc(w.problems().get(0).toString())).append("</p>\n");
    } else {
      html.append("<p>No violation.</p>\n");
    }
    html.append("<p>Bars: a job from its arming (light: waiting in its entity) through run_job (dark: on the ring;"
        + " orange: cancelled by a reset) to its fence's signal (dot; red: with an error). TTM row: E eviction,"
        + " M move, G ghost freed; a red triangle on a lane: a timeout and engine reset. Hover for details.</p>\n");
    if (w.steps().stream().anyMatch(s -> s.name().equals("LrStart"))) {
      html.append("<p>VM row (--vm): S the context starts, P a preemption (its fence's work signals the preemption"
          + " fence), B a rebind begins (page-table update, TLB flush fence), R the rebind resumes the context, U an"
          + " unmap, T a TLB flush, A the context's accesses; the page-table updates are sdma0's vm-pte jobs.</p>\n");
    }
    html.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">%n", width, y));
    html.append(svg).append("</svg>\n<h2>Steps</h2>\n<ol>\n");
    for (Simulation.StepRecord s : w.steps()) {
      html.append(s.index() == violationStep ? "<li class=\"bad\">" : "<li>").append(esc(s.name()));
      if (!s.calls().isEmpty()) {
        html.append(" <span class=\"ev\">kernel: ").append(esc(String.join(", ", s.calls()))).append("</span>");
      }
      for (String e : s.events()) {
        html.append("<br/><span class=\"ev\">").append(esc(e)).append("</span>");
      }
      html.append("</li>\n");
    }
    html.append("</ol>\n</body>\n</html>\n");
    return html.toString();
  }

  /**
   * The VM row (simulate --vm), drawn only if the workload has VM steps: S the context starts, P a
   * preemption (the preemption fence's work signals it), B a rebind begins (page-table update and
   * TLB flush fence armed), R the rebind resumes the context, U an unmap, T a TLB flush, A the
   * context's accesses. Returns the next row's y.
   */
  private static int vmRow(Simulation.Workload w, StringBuilder body, int y, int width, int sw) {
    Map<String, String> letters = Map.of("LrStart", "S", "PreemptWork(", "P", "RebindBegin", "B", "RebindFinish",
        "R", "Unmap", "U", "TlbFlush(", "T", "LrAccess", "A");
    StringBuilder row = new StringBuilder();
    for (Simulation.StepRecord s : w.steps()) {
      String mark = "";
      for (Map.Entry<String, String> e : letters.entrySet()) {
        if (e.getKey().endsWith("(") ? s.name().startsWith(e.getKey()) : s.name().equals(e.getKey())) {
          mark = e.getValue();
        }
      }
      if (!mark.isEmpty()) {
        row.append(String.format("<text class=\"vmmark\" x=\"%d\" y=\"%d\"><title>%s</title>%s</text>%n",
            x(s.index(), sw), y + 16, esc(s.index() + ". " + s.name() + "\n" + String.join("\n", s.events())),
            mark));
      }
    }
    if (row.length() == 0) {
      return y;
    }
    body.append(String.format("<rect class=\"lane\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n", y, width,
        ROW + 8));
    body.append(String.format("<text class=\"lname\" x=\"4\" y=\"%d\">VM</text>%n", y + 16));
    body.append(row);
    return y + ROW + 12;
  }

  private static int x(int step, int sw) {
    return LEFT + (step - 1) * sw;
  }
}
