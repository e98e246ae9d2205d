package org.syncref.litmus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic mutations of a litmus file, on its bytes: given the same seed text and the same
 * {@link Random} state, the same mutant. Each mutant comes from one named mutation; a mutation
 * that finds nothing to change (no number, no call) inserts what it would have produced instead.
 */
public final class LitmusMutator {
  private LitmusMutator() {}

  /** A mutant and the mutation that made it. */
  public record Mutant(String mutation, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** The mutations, by name. */
  static final List<String> MUTATIONS = List.of(
      "deleteToken", "duplicateToken", "swapLines", "deleteLine", "unknownCall", "addArgument", "removeArgument",
      "renameIdentifier", "deleteBrace", "insertBrace", "hugeNumber", "randomBytes", "truncate");

  private static final String[] EXTRA_ARGS = {"f1", "r", "5", "-EIO", "NULL", "true", "WRITE", "x", "-3", "{}"};
  private static final String[] HUGE = {
    "99999999999999999999", "1000001", "2147483648", "9223372036854775808", "000000000000000000000000000042",
    "18446744073709551616", "-99999999999999999999"
  };
  private static final int[][] BYTES = {
    {0x00}, {0xff}, {0xc3}, {0x80}, {0xc3, 0x28}, {0xe2, 0x80, 0xa8}, {0xef, 0xbb, 0xbf}, {0xf0, 0x9f, 0x98, 0x80},
    {0xed, 0xa0, 0x80}, {0xc0, 0xaf}, {'\r'}, {'\t'}, {0x07}, {0x1b}, {0x7f}, {'#'}, {'\n'}, {'('}, {'-'}
  };

  /** One mutant of seed. */
  public static Mutant mutate(byte[] seed, Random rnd) {
    String m = MUTATIONS.get(rnd.nextInt(MUTATIONS.size()));
    return new Mutant(m, apply(m, seed, rnd));
  }

  /** Applies the named mutation. */
  static byte[] apply(String mutation, byte[] s, Random rnd) {
    List<int[]> toks = tokens(s);
    switch (mutation) {
      case "deleteToken": {
        if (toks.isEmpty()) {
          return s;
        }
        int[] t = toks.get(rnd.nextInt(toks.size()));
        return splice(s, t[0], t[1], new byte[0]);
      }
      case "duplicateToken": {
        if (toks.isEmpty()) {
          return s;
        }
        int[] t = toks.get(rnd.nextInt(toks.size()));
        byte[] copy = concat(rnd.nextBoolean() ? bytes(" ") : new byte[0], slice(s, t[0], t[1]));
        return splice(s, t[1], t[1], copy);
      }
      case "swapLines": {
        List<byte[]> lines = lines(s);
        if (lines.size() < 2) {
          return s;
        }
        int i = rnd.nextInt(lines.size());
        int j = rnd.nextInt(lines.size());
        byte[] a = lines.get(i);
        lines.set(i, lines.get(j));
        lines.set(j, a);
        return join(lines);
      }
      case "deleteLine": {
        List<byte[]> lines = lines(s);
        if (lines.isEmpty()) {
          return s;
        }
        lines.remove(rnd.nextInt(lines.size()));
        return join(lines);
      }
      case "unknownCall": {
        List<int[]> calls = new ArrayList<>();
        for (int[] t : toks) {
          if (Calls.byName(str(s, t[0], t[1])).isPresent()) {
            calls.add(t);
          }
        }
        if (calls.isEmpty()) {
          return splice(s, lineStart(s, rnd), lineStart(s, rnd), bytes("dma_fence_sgnal(f1)\n"));
        }
        int[] t = calls.get(rnd.nextInt(calls.size()));
        return splice(s, t[0], t[1], bytes(misspell(str(s, t[0], t[1]), rnd)));
      }
      case "addArgument": {
        List<Integer> closes = positions(s, ')');
        byte[] arg = bytes((rnd.nextBoolean() ? ", " : ",") + EXTRA_ARGS[rnd.nextInt(EXTRA_ARGS.length)]);
        if (closes.isEmpty()) {
          return splice(s, s.length, s.length, concat(bytes("dma_fence_signal(f1"), concat(arg, bytes(")\n"))));
        }
        int at = closes.get(rnd.nextInt(closes.size()));
        return splice(s, at, at, arg);
      }
      case "removeArgument": {
        List<Integer> commas = positions(s, ',');
        if (commas.isEmpty()) {
          List<Integer> opens = positions(s, '(');
          if (opens.isEmpty()) {
            return s;
          }
          int o = opens.get(rnd.nextInt(opens.size()));
          int c = o + 1;
          while (c < s.length && s[c] != ')' && s[c] != '\n') {
            c++;
          }
          return splice(s, o + 1, c, new byte[0]);
        }
        int c = commas.get(rnd.nextInt(commas.size()));
        int e = c + 1;
        while (e < s.length && s[e] != ',' && s[e] != ')' && s[e] != '}' && s[e] != '\n') {
          e++;
        }
        return rnd.nextBoolean() ? splice(s, c, e, new byte[0]) : splice(s, c + 1, e, new byte[0]);
      }
      case "renameIdentifier": {
        List<int[]> ids = new ArrayList<>();
        for (int[] t : toks) {
          if (Character.isLetter(s[t[0]] & 0xff) || s[t[0]] == '_') {
            ids.add(t);
          }
        }
        if (ids.isEmpty()) {
          return s;
        }
        int[] t = ids.get(rnd.nextInt(ids.size()));
        String fresh = rnd.nextBoolean() ? "zz" + rnd.nextInt(100) : str(s, t[0], t[1]) + (char) ('a' + rnd.nextInt(26));
        return splice(s, t[0], t[1], bytes(fresh));
      }
      case "deleteBrace": {
        List<Integer> braces = positions(s, '{');
        braces.addAll(positions(s, '}'));
        if (braces.isEmpty()) {
          return s;
        }
        int b = braces.get(rnd.nextInt(braces.size()));
        return splice(s, b, b + 1, new byte[0]);
      }
      case "insertBrace": {
        int at = boundary(s, toks, rnd);
        return splice(s, at, at, bytes(rnd.nextBoolean() ? "{" : "}"));
      }
      case "hugeNumber": {
        List<int[]> nums = new ArrayList<>();
        for (int[] t : toks) {
          if (s[t[0]] >= '0' && s[t[0]] <= '9') {
            nums.add(t);
          }
        }
        byte[] huge = bytes(HUGE[rnd.nextInt(HUGE.length)]);
        if (nums.isEmpty()) {
          int at = boundary(s, toks, rnd);
          return splice(s, at, at, concat(bytes(" "), huge));
        }
        int[] t = nums.get(rnd.nextInt(nums.size()));
        return splice(s, t[0], t[1], huge);
      }
      case "randomBytes": {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int k = 1 + rnd.nextInt(8);
        for (int i = 0; i < k; i++) {
          if (rnd.nextInt(3) == 0) {
            out.write(rnd.nextInt(256));
          } else {
            for (int b : BYTES[rnd.nextInt(BYTES.length)]) {
              out.write(b);
            }
          }
        }
        int at = rnd.nextInt(s.length + 1);
        return splice(s, at, at, out.toByteArray());
      }
      case "truncate":
        return slice(s, 0, s.length == 0 ? 0 : rnd.nextInt(s.length));
      default:
        throw new IllegalArgumentException("no mutation " + mutation);
    }
  }

  /** An unknown call name near the known one. */
  private static String misspell(String name, Random rnd) {
    switch (rnd.nextInt(4)) {
      case 0: {
        int i = rnd.nextInt(name.length());
        return name.substring(0, i) + name.substring(i + 1);
      }
      case 1:
        return name + "_x";
      case 2: {
        int i = rnd.nextInt(name.length() - 1);
        return name.substring(0, i) + name.charAt(i + 1) + name.charAt(i) + name.substring(i + 2);
      }
      default:
        return "frobnicate";
    }
  }

  /** Tokens as [start, end): runs of [A-Za-z0-9_] and single other non-blank bytes. */
  static List<int[]> tokens(byte[] s) {
    List<int[]> out = new ArrayList<>();
    int i = 0;
    while (i < s.length) {
      int c = s[i] & 0xff;
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
      } else if (word(c)) {
        int j = i;
        while (j < s.length && word(s[j] & 0xff)) {
          j++;
        }
        out.add(new int[] {i, j});
        i = j;
      } else {
        out.add(new int[] {i, i + 1});
        i++;
      }
    }
    return out;
  }

  private static boolean word(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static int boundary(byte[] s, List<int[]> toks, Random rnd) {
    if (toks.isEmpty()) {
      return s.length;
    }
    int[] t = toks.get(rnd.nextInt(toks.size()));
    return rnd.nextBoolean() ? t[0] : t[1];
  }

  private static int lineStart(byte[] s, Random rnd) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < s.length; i++) {
      if (s[i] == '\n') {
        starts.add(i + 1);
      }
    }
    return starts.get(rnd.nextInt(starts.size()));
  }

  private static List<Integer> positions(byte[] s, char c) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      if (s[i] == c) {
        out.add(i);
      }
    }
    return out;
  }

  /** Lines with their '\n'. */
  private static List<byte[]> lines(byte[] s) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == '\n') {
        out.add(slice(s, start, i + 1));
        start = i + 1;
      }
    }
    if (start < s.length) {
      out.add(concat(slice(s, start, s.length), bytes("\n")));
    }
    return out;
  }

  private static byte[] join(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] splice(byte[] s, int from, int to, byte[] with) {
    return join(List.of(slice(s, 0, from), with, slice(s, to, s.length)));
  }

  private static byte[] slice(byte[] s, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(s, from, out, 0, to - from);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return join(List.of(a, b));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] s, int from, int to) {
    return new String(s, from, to - from, StandardCharsets.UTF_8);
  }
}
