package org.syncref.conformance.vocab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.syncref.conformance.DrmExecWorld;
import org.syncref.conformance.FenceWorld;
import org.syncref.conformance.ResvWorld;
import org.syncref.conformance.WwWorld;
import org.syncref.conformance.gpumem.GpuMemVocab;
import org.syncref.modelcheck.Checkout;

/**
 * Writes the component tables of spec/MAPPING.md (DmaFence, DmaResv, WwMutex, DrmExec, GpuMem) from the
 * worlds' vocabularies, between two marker comments per table; the text around them is MAPPING.md's
 * own. Run by {@link #COMMAND}; property-tests' VocabularyTest fails, naming the command, when a
 * table differs from its declarations.
 */
public final class MappingTables {
  /** The one command that regenerates the tables (conformance's profile write-mapping). */
  public static final String COMMAND = "mvn -q -pl conformance -am process-classes -Dsyncref.writeMapping";
  public static final String FILE = "spec/MAPPING.md";

  private MappingTables() {}

  /** The vocabularies whose tables MAPPING.md holds, in its order. */
  public static List<Vocabulary<?>> all() {
    return List.of(FenceWorld.Vocab.VOCABULARY, ResvWorld.Vocab.VOCABULARY, WwWorld.Vocab.VOCABULARY, DrmExecWorld.Vocab.VOCABULARY,
        GpuMemVocab.VOCABULARY);
  }

  /** The comment line before the table. */
  public static String begin(Vocabulary<?> v) {
    return "<!-- generated from " + v.owner() + "'s vocabulary (" + v.declaredIn()
        + " in conformance/): edit there, then run " + COMMAND + " -->";
  }

  /** The comment line after the table. */
  public static String end(Vocabulary<?> v) {
    return "<!-- end of the table generated from " + v.owner() + "'s vocabulary -->";
  }

  /** What belongs between the two comment lines. */
  public static String region(Vocabulary<?> v) {
    return "\n\n" + v.table() + "\n";
  }

  /** The text between the markers of {@code v} in {@code md}, or null if they are missing. */
  public static String current(String md, Vocabulary<?> v) {
    int b = md.indexOf(begin(v));
    int e = md.indexOf(end(v));
    if (b < 0 || e < b || md.indexOf(begin(v), b + 1) >= 0) {
      return null;
    }
    return md.substring(b + begin(v).length(), e);
  }

  /** {@code md} with the table of {@code v} rewritten. */
  public static String render(String md, Vocabulary<?> v) {
    if (current(md, v) == null) {
      int at = md.indexOf("\n## " + v.component() + " ");
      int line = at < 0 ? 1 : (int) md.substring(0, at + 1).chars().filter(ch -> ch == '\n').count() + 1;
      throw new IllegalStateException(FILE + ":" + line + ":1: expected the " + v.component()
          + " table between the lines \"" + begin(v) + "\" and \"" + end(v) + "\", once each");
    }
    int b = md.indexOf(begin(v)) + begin(v).length();
    return md.substring(0, b) + region(v) + md.substring(md.indexOf(end(v)));
  }

  /** Rewrites the tables of MAPPING.md under {@code args[0]} (default: the checkout); exit 2 on bad input. */
  public static void main(String[] args) throws IOException {
    Path root = args.length > 0 ? Path.of(args[0]) : Checkout.require();
    Path file = root.resolve(FILE);
    String md = Files.readString(file);
    String out = md;
    try {
      for (Vocabulary<?> v : all()) {
        out = render(out, v);
      }
    } catch (IllegalStateException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
    if (out.equals(md)) {
      System.out.println(FILE + ": the " + all().size() + " generated tables are current");
    } else {
      Files.writeString(file, out);
      System.out.println(FILE + ": rewrote the generated tables (" + all().size() + ")");
    }
  }
}
