package org.syncref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.kernelcheck.DebianPackages;

/**
 * {@code syncref simulate --html} rendered by a real browser: headless Chromium (Debian's
 * {@code chromium-headless-shell} package, or {@code chromium}) lays the timeline out and draws it, and the test reads back what it
 * drew. Three questions a reader of the picture relies on:
 * <ul>
 *   <li>every job's bar lies inside its engine's lane (the layout the browser computed, read
 *       through {@code getBBox} by a probe script appended to a copy of the page; the page itself
 *       has no script);
 *   <li>the red band of the violating step crosses a job the violation names (the culprit,
 *       outlined), so the picture points at the step the text names;
 *   <li>the band is drawn: in a screenshot, the pixel at its centre is red, and a clean run's
 *       screenshot has no such band.
 * </ul>
 * Chromium is installed with apt-get when missing, as kernel-check installs its tools; outside CI
 * a machine that cannot install it skips with the reason, in CI (CI=true) that is a failure.
 */
class HtmlTimelineBrowserTest {
  private static String chromium;
  /** The window's width in both runs, so that both lay the page out alike (the SVG is at most ~1500 px wide). */
  private static final int WIDTH = 1600;

  @TempDir Path dir;

  @BeforeAll
  static void findChromium() throws IOException {
    // Debian's headless shell (no GTK: a smaller install) or the full browser, whichever is here
    for (String c : List.of("chromium-headless-shell", "chromium")) {
      if (onPath(c)) {
        chromium = c;
        return;
      }
    }
    try {
      DebianPackages.system().ensure(List.of("chromium-headless-shell"), System.err, "HtmlTimelineBrowserTest");
    } catch (Exception e) {
      String why = "headless Chromium is not installed and cannot be: " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(why);
      }
      Assumptions.abort(why);
    }
    chromium = "chromium-headless-shell";
  }

  /** Whether a command is on the PATH. */
  private static boolean onPath(String cmd) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, cmd))) {
        return true;
      }
    }
    return false;
  }

  private static int simulate(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  /** Runs headless Chromium on a file with the given extra options; returns its standard output. */
  private String chrome(Path page, String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
        "--user-data-dir=" + dir.resolve("profile")));
    cmd.addAll(List.of(options));
    cmd.add(page.toUri().toString());
    Path out = dir.resolve("chrome.out");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
        .redirectError(dir.resolve("chrome.err").toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 120 s: " + cmd);
    assertEquals(0, p.exitValue(), "chromium exit code; stderr:\n" + Files.readString(dir.resolve("chrome.err")));
    return Files.readString(out);
  }

  /**
   * A copy of the page with a probe script at the end that writes, into a {@code <pre id=probe>},
   * one line per fact the browser computed: the SVG's position on the page, each job group's box
   * against its lane's box, the violation band's box and whether it crosses a culprit's box.
   */
  private Path probed(Path page) throws IOException {
    String probe = "<script>\n"
        + "const out=[];const svg=document.querySelector('svg');const r=svg.getBoundingClientRect();\n"
        + "out.push('svg '+Math.round(r.left)+' '+Math.round(r.top)+' '+Math.round(r.width)+' '+Math.round(r.height));\n"
        + "let lane=null,name='';\n"
        + "for(const c of svg.children){\n"
        + "  if(c.matches('rect.lane')){lane=c.getBBox();continue;}\n"
        + "  if(c.matches('text.lname')){name=c.textContent;continue;}\n"
        + "  if(c.tagName==='g'){const b=c.getBBox();\n"
        + "    const bars=[...c.querySelectorAll('rect')].map(x=>x.getBBox());\n"
        + "    const inside=bars.every(x=>x.y>=lane.y&&x.y+x.height<=lane.y+lane.height&&x.x>=lane.x&&x.x+x.width<=lane.x+lane.width);\n"
        + "    out.push('job '+name+' '+(inside?'inside':'outside')+' '+(c.classList.contains('culprit')?'culprit':'-')"
        + "+' '+b.x.toFixed(1)+' '+(b.x+b.width).toFixed(1)+' '+c.querySelector('title').textContent.split(':')[0]);}\n"
        + "}\n"
        + "const v=svg.querySelector('rect.viol');\n"
        + "if(v){const b=v.getBBox();\n"
        + "  const hit=[...svg.querySelectorAll('g.culprit')].some(g=>{const x=g.getBBox();return x.x<b.x+b.width&&b.x<x.x+x.width;});\n"
        + "  out.push('viol '+Math.round(b.x)+' '+Math.round(b.y)+' '+Math.round(b.width)+' '+Math.round(b.height)+' '+(hit?'crosses-culprit':'misses-culprit'));}\n"
        + "const pre=document.createElement('pre');pre.id='probe';pre.textContent=out.join('\\n');document.body.appendChild(pre);\n"
        + "</script>\n";
    String html = Files.readString(page).replace("</body>", probe + "</body>");
    Path p = dir.resolve("probed-" + page.getFileName());
    Files.writeString(p, html);
    return p;
  }

  private static List<String> probeLines(String dom) {
    Matcher m = Pattern.compile("(?s)<pre id=\"probe\">(.*?)</pre>").matcher(dom);
    assertTrue(m.find(), "the probe script did not run in the browser:\n" + dom.substring(0, Math.min(400, dom.length())));
    return m.group(1).lines().toList();
  }

  @Test
  void aViolationsBandCrossesItsCulpritAndIsDrawnRed() throws Exception {
    Path page = dir.resolve("bug.html");
    assertEquals(1, simulate("simulate", "--bug", "evict_waits_write", "--html", page.toString()));
    List<String> facts = probeLines(chrome(probed(page), "--dump-dom", "--window-size=" + WIDTH + ",1000"));
    List<String> jobs = facts.stream().filter(l -> l.startsWith("job ")).toList();
    assertFalse(jobs.isEmpty(), "no job drawn:\n" + facts);
    for (String j : jobs) {
      assertTrue(j.contains(" inside "), "a job's bar leaves its lane: " + j);
    }
    assertTrue(jobs.stream().anyMatch(j -> j.contains(" culprit ")), "no culprit outlined:\n" + facts);
    String viol = facts.stream().filter(l -> l.startsWith("viol ")).findFirst().orElseThrow(
        () -> new AssertionError("no violation band:\n" + facts));
    assertTrue(viol.endsWith("crosses-culprit"), "the band misses the jobs the violation names: " + viol);

    // the screenshot: the band's centre, at the tick row (above the lanes), is red over white
    String[] svg = facts.get(0).split(" ");
    String[] v = viol.split(" ");
    int left = Integer.parseInt(svg[1]);
    int top = Integer.parseInt(svg[2]);
    int width = WIDTH;
    int height = top + Integer.parseInt(svg[4]) + 40;
    BufferedImage img = screenshot(page, width, height);
    int x = left + Integer.parseInt(v[1]) + Integer.parseInt(v[3]) / 2;
    int y = top + 19; // between the tick labels' baseline (14) and the first lane (24)
    int rgb = img.getRGB(x, y);
    int red = (rgb >> 16) & 0xff;
    int green = (rgb >> 8) & 0xff;
    assertTrue(red > 200 && green < 225 && red - green > 30,
        String.format("pixel (%d, %d) of the band is #%06x, not red", x, y, rgb & 0xffffff));
    int beside = img.getRGB(left + 30, y) & 0xffffff; // the lane labels' column: no band there
    assertTrue(((beside >> 16) & 0xff) - ((beside >> 8) & 0xff) < 10, String.format("#%06x beside the band", beside));
  }

  @Test
  void aCleanRunDrawsEveryJobInItsLaneAndNoBand() throws Exception {
    Path page = dir.resolve("clean.html");
    assertEquals(0, simulate("simulate", "--workloads", "3", "--html", page.toString()));
    List<String> facts = probeLines(chrome(probed(page), "--dump-dom", "--window-size=" + WIDTH + ",1000"));
    List<String> jobs = facts.stream().filter(l -> l.startsWith("job ")).toList();
    String html = Files.readString(page);
    int titled = 0;
    for (Matcher m = Pattern.compile("<g(?: class=\"culprit\")?><title>").matcher(html); m.find(); ) {
      titled++;
    }
    assertEquals(titled, jobs.size(), "jobs in the page vs jobs the browser laid out:\n" + facts);
    assertTrue(jobs.size() > 3, "a workload with so few jobs tests little:\n" + facts);
    for (String j : jobs) {
      assertTrue(j.contains(" inside "), "a job's bar leaves its lane: " + j);
    }
    assertTrue(facts.stream().noneMatch(l -> l.startsWith("viol ")), facts.toString());
  }

  private BufferedImage screenshot(Path page, int width, int height) throws Exception {
    Path png = dir.resolve("shot.png");
    chrome(page, "--screenshot=" + png, "--window-size=" + width + "," + height);
    BufferedImage img = ImageIO.read(png.toFile());
    assertTrue(img != null && img.getWidth() >= width - 1, "no screenshot of " + width + "x" + height);
    return img;
  }
}
