package org.syncref.litmus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.syncref.litmus.Calls.Fn;
import org.syncref.litmus.Calls.Kind;
import org.syncref.litmus.Calls.Result;
import org.syncref.modelcheck.BadInputException;

/**
 * Reads a litmus file into a {@link Litmus}: a hand-written lexer, a recursive-descent parser and
 * the semantic checks (declared names of the right kind, arity and argument kinds from {@link
 * Calls}, register types), in one pass plus checks deferred to the end of each thread (registers
 * may be read before the statement that assigns them, as in a loop) and of the file ({@code
 * exists} may name threads that come later).
 *
 * <p>Every error is one line {@code FILE:LINE:COL: what was expected, what was found}; the first
 * error stops the parse. The parser runs in time linear in the input, recursion is bounded by
 * {@link #MAX_NESTING}, and no exception other than {@link BadInputException} leaves it.
 *
 * <p>The language, in short:
 *
 * <pre>
 * # Result: Never                        (the first comment matching "Result:\s*(\w+)")
 * litmus NAME                            (first statement; NAME of letters, digits, _ - . +)
 * context c1 c2
 * fence f1 [f2 ...] on c1 [seqno N] [ops signaled|enable_signaling ...]
 *                                        (seqno with one name only; else previous + 1 from 1;
 *                                        ops: the issuer peeks at its hardware, see hw_complete)
 * resv r [r2 ...]
 * ww_class wd wait-die|wound-wait
 * ww_mutex a [b ...] class wd              (reservation_ww_class, the resv lock class, is predeclared)
 * thread P0 { STMT... }                  (or top-level statements: one thread, P0)
 *   [REG =] call(args)   expect COND   if (COND) { } [else { } | else if ...]   while (COND) { }
 * exists COND                            (at most one; registers written Pn:reg)
 * An outcome after a contract breach the kernel goes on from (dma_resv_add_fence without a
 * reserved slot) reads "contract; kernel: REST", REST being what the kernel did; `contract`
 * holds in it and the other atoms read the kernel's state.
 * COND: || &amp;&amp; ! ( ) E == E, E != E, deadlock, warn, bug, true, false, signaled(F)
 * E:    reg, Pn:reg, integer, -EXXX, MAX_SCHEDULE_TIMEOUT, true, false, [f2, f1, f1], [], {f1, f2}, {}
 *       ([...]: the fences in this order, duplicates kept, as dma_resv_get_fences returns them;
 *       {...}: a set, equal to a returned sequence whose distinct fences are exactly these)
 * A timeout argument (dma_fence_wait_timeout, dma_resv_wait_timeout) is an integer or
 * MAX_SCHEDULE_TIMEOUT: the wait then never times out, and returns MAX_SCHEDULE_TIMEOUT once woken.
 * </pre>
 *
 * Statements end at a newline or {@code ;}; inside parentheses and fence sets newlines are free.
 */
public final class LitmusParser {

  /**
   * Optional dma_fence_ops a fence declaration may give its issuer: ops->signaled returns, and a
   * first ops->enable_signaling returns the negation of, whether hw_complete(f) has run.
   */
  static final List<String> FENCE_OPS = List.of("signaled", "enable_signaling");

  /** Deepest nesting of blocks (if, else, else if, while), and separately of '(' and '!'. */
  public static final int MAX_NESTING = 32;
  /** Most comparisons and atoms in one condition. */
  public static final int MAX_TERMS = 64;
  /** Largest file {@link #parse(Path)} reads. */
  public static final long MAX_FILE_BYTES = 1L << 20;
  /** Largest explicit or implied fence seqno. */
  public static final long MAX_SEQNO = 1_000_000L;

  /** The longest piece of input quoted in a message. */
  private static final int QUOTE_MAX = 40;

  /** Parses text; {@code file} is used in messages and kept as {@link Litmus#file()}. */
  public static Litmus parse(String file, String text) throws BadInputException {
    String f = escape(file == null ? "<input>" : file);
    if (text == null) {
      throw new BadInputException(f + ": no text");
    }
    try {
      return new LitmusParser(file == null ? "<input>" : file, text).run();
    } catch (ParseError e) {
      throw new BadInputException(f + ":" + e.line + ":" + e.col + ": " + escape(e.getMessage()));
    } catch (RuntimeException | StackOverflowError e) {
      // A bug of this parser; reported as bad input rather than escaping (the fuzz test looks for it).
      throw new BadInputException(f + ":1:1: internal error in the litmus parser: " + escape(String.valueOf(e)));
    }
  }

  /**
   * Reads and parses a file. A missing, unreadable, oversized or non-UTF-8 file, a directory or a
   * special file is reported as {@code FILE: what}.
   */
  public static Litmus parse(Path path) throws BadInputException {
    if (path == null) {
      throw new BadInputException("<null>: no file given");
    }
    String file = path.toString();
    String f = escape(file);
    String text;
    try {
      if (Files.isDirectory(path)) {
        throw new BadInputException(f + ": is a directory, not a litmus file");
      }
      if (!Files.exists(path)) {
        throw new BadInputException(f + ": no such file");
      }
      if (!Files.isRegularFile(path)) {
        throw new BadInputException(f + ": not a regular file");
      }
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) {
        throw new BadInputException(f + ": too large (" + size + " bytes; a litmus file has at most " + MAX_FILE_BYTES
            + ")");
      }
      byte[] bytes = Files.readAllBytes(path);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new BadInputException(f + ": too large (" + bytes.length + " bytes; a litmus file has at most "
            + MAX_FILE_BYTES + ")");
      }
      text = decodeUtf8(f, bytes);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new BadInputException(f + ": cannot read: " + escape(why));
    }
    return parse(file, text);
  }

  private static String decodeUtf8(String f, byte[] bytes) throws BadInputException {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // a UTF-8 byte decodes to at most one char
    CoderResult r = d.decode(in, out, true);
    if (!r.isError()) {
      r = d.flush(out);
    }
    if (r.isError() || r.isOverflow()) {
      int off = in.position();
      int line = 1;
      int col = 1;
      for (int i = 0; i < out.position(); i++) {
        char c = out.get(i);
        if (c == '\n') {
          line++;
          col = 1;
        } else if (!Character.isLowSurrogate(c)) {
          col++;
        }
      }
      String b = off < bytes.length ? String.format("0x%02X", bytes[off] & 0xff) : "end of file";
      throw new BadInputException(f + ": not valid UTF-8: byte " + b + " (offset " + off + ") at line " + line
          + ", column " + col);
    }
    out.flip();
    return out.toString();
  }

  // ------------------------------------------------------------------------------------------
  // Tokens and the lexer

  private enum T {
    IDENT, NUMBER, WORD, LPAREN, RPAREN, LBRACE, RBRACE, COMMA, ASSIGN, EQ, NE, NOT, AND, OR, COLON, MINUS,
    SEMI, EOF, LBRACKET, RBRACKET
  }

  /** A token; nl: a newline came between it and the previous token. */
  private record Tok(T t, String text, int line, int col, boolean nl) {}

  /** The first error; carries its position. */
  private static final class ParseError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final int col;

    ParseError(int line, int col, String message) {
      super(message, null, false, false);
      this.line = line;
      this.col = col;
    }
  }

  private static final Set<String> KEYWORDS = Set.of(
      "litmus", "context", "fence", "on", "seqno", "resv", "ww_class", "ww_mutex", "class", "thread", "expect",
      "if", "else", "while", "exists");
  private static final Set<String> WORDS = Set.of(
      "KERNEL", "WRITE", "READ", "BOOKKEEP", "NULL", "true", "false", "deadlock", "warn", "bug", "contract", "signaled",
      Calls.MAX_SCHEDULE_TIMEOUT_WORD);
  private static final List<String> RESULTS = List.of("Always", "Sometimes", "Never");

  /** Why a name cannot be declared, or null. */
  private static String reservedWhy(String s) {
    if (KEYWORDS.contains(s)) {
      return "a keyword";
    }
    if (WORDS.contains(s)) {
      return "a reserved word";
    }
    if (Calls.byName(s).isPresent()) {
      return "a call name";
    }
    return null;
  }

  private final String file;
  private final String src;
  private final int n;
  private int p;
  private int line = 1;
  private int lineStart;
  private boolean headerSeen;
  private String expected;
  private final java.util.Map<String, String> expectedOn = new java.util.TreeMap<>();
  private Tok tok;

  /** dma-resv.c's DEFINE_WD_CLASS(reservation_ww_class): predeclared, for dma_resv_lock's contexts. */
  public static final String RESERVATION_WW_CLASS = "reservation_ww_class";

  private LitmusParser(String file, String text) {
    names.put(RESERVATION_WW_CLASS, new NameInfo(NameKind.CLASS, new Litmus.Pos(0, 0)));
    this.file = file;
    this.src = text;
    this.n = text.length();
    if (n > 0 && text.charAt(0) == '\uFEFF') {
      p = 1;
      lineStart = 1;
    }
  }

  private static boolean identStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean identPart(char c) {
    return identStart(c) || (c >= '0' && c <= '9');
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f';
  }

  private ParseError errorAt(int offset, String msg) {
    return new ParseError(line, offset - lineStart + 1, msg);
  }

  private Tok make(T t, String text, int start, boolean nl) {
    return new Tok(t, text, line, start - lineStart + 1, nl);
  }

  /** The next token, skipping blanks, newlines and comments. */
  private Tok next() {
    boolean nl = false;
    while (p < n) {
      char c = src.charAt(p);
      if (c == '\n') {
        p++;
        line++;
        lineStart = p;
        nl = true;
      } else if (blank(c)) {
        p++;
      } else if (c == '#') {
        comment(p + 1);
      } else if (c == '/' && p + 1 < n && src.charAt(p + 1) == '/') {
        comment(p + 2);
      } else {
        break;
      }
    }
    if (p >= n) {
      return make(T.EOF, "", p, nl);
    }
    int start = p;
    char c = src.charAt(p);
    if (identStart(c)) {
      p++;
      while (p < n && identPart(src.charAt(p))) {
        p++;
      }
      return make(T.IDENT, src.substring(start, p), start, nl);
    }
    if (c >= '0' && c <= '9') {
      p++;
      boolean digits = true;
      while (p < n && identPart(src.charAt(p))) {
        char d = src.charAt(p);
        digits &= d >= '0' && d <= '9';
        p++;
      }
      String s = src.substring(start, p);
      if (!digits) {
        throw errorAt(start, "malformed number " + quote(s));
      }
      return make(T.NUMBER, s, start, nl);
    }
    p++;
    switch (c) {
      case '(':
        return make(T.LPAREN, "(", start, nl);
      case ')':
        return make(T.RPAREN, ")", start, nl);
      case '{':
        return make(T.LBRACE, "{", start, nl);
      case '}':
        return make(T.RBRACE, "}", start, nl);
      case '[':
        return make(T.LBRACKET, "[", start, nl);
      case ']':
        return make(T.RBRACKET, "]", start, nl);
      case ',':
        return make(T.COMMA, ",", start, nl);
      case ':':
        return make(T.COLON, ":", start, nl);
      case ';':
        return make(T.SEMI, ";", start, nl);
      case '-':
        return make(T.MINUS, "-", start, nl);
      case '=':
        if (p < n && src.charAt(p) == '=') {
          p++;
          return make(T.EQ, "==", start, nl);
        }
        return make(T.ASSIGN, "=", start, nl);
      case '!':
        if (p < n && src.charAt(p) == '=') {
          p++;
          return make(T.NE, "!=", start, nl);
        }
        return make(T.NOT, "!", start, nl);
      case '&':
        if (p < n && src.charAt(p) == '&') {
          p++;
          return make(T.AND, "&&", start, nl);
        }
        throw errorAt(start, "expected '&&', found a single '&'");
      case '|':
        if (p < n && src.charAt(p) == '|') {
          p++;
          return make(T.OR, "||", start, nl);
        }
        throw errorAt(start, "expected '||', found a single '|'");
      case '/':
        throw errorAt(start, "unexpected character '/' (comments start with # or //)");
      default:
        int cp = src.codePointAt(start);
        String hint = cp > 0x7f && Character.isLetter(cp) ? " (names are ASCII letters, digits and _)" : "";
        throw errorAt(start, "unexpected character '" + new String(Character.toChars(cp)) + "'" + hint);
    }
  }

  /** Skips a comment whose text starts at from; looks for the Result header. */
  private void comment(int from) {
    int end = src.indexOf('\n', from);
    if (end < 0) {
      end = n;
    }
    headerNoLockdep(from, end);
    if (!headerSeen) {
      header(from, end);
    }
    p = end;
  }

  /**
   * {@code # Result on BUILD: X}: the expected result on one kernel build (Litmus.BUILDS), where
   * it differs from {@code # Result:} (one per build; it is not a {@code Result:} header, whose
   * word must follow "Result:" directly). The former {@code # Result without lockdep:} is
   * refused with the new spelling.
   */
  private void headerNoLockdep(int from, int end) {
    String s = src.substring(from, end);
    String old = "Result without lockdep:";
    int o = s.indexOf(old);
    if (o >= 0) {
      throw new ParseError(line, src.codePointCount(lineStart, from + o) + 1,
          "'# Result without lockdep:' is now '# Result on production:' (builds: "
              + String.join(", ", Litmus.BUILDS) + ")");
    }
    String key = "Result on ";
    int i = s.indexOf(key);
    if (i < 0) {
      return;
    }
    int b0 = i + key.length();
    int b1 = b0;
    while (b1 < s.length() && (identPart(s.charAt(b1)) || s.charAt(b1) == '-')) {
      b1++;
    }
    String build = s.substring(b0, b1);
    if (!Litmus.BUILDS.contains(build) || b1 >= s.length() || s.charAt(b1) != ':') {
      throw new ParseError(line, src.codePointCount(lineStart, from + b0) + 1,
          "expected '# Result on BUILD: Always|Sometimes|Never' with BUILD one of "
              + String.join(", ", Litmus.BUILDS) + ", found " + quote(s.substring(b0, Math.min(s.length(), b1 + 1)))
              + suggest(build, Litmus.BUILDS));
    }
    if (expectedOn.containsKey(build)) {
      throw new ParseError(line, src.codePointCount(lineStart, from + b0) + 1,
          "a second '# Result on " + build + ":' header");
    }
    int j = b1 + 1;
    while (j < s.length() && " \t\u000B\f\r".indexOf(s.charAt(j)) >= 0) {
      j++;
    }
    int k = j;
    while (k < s.length() && identPart(s.charAt(k))) {
      k++;
    }
    String w = s.substring(j, k);
    if (!RESULTS.contains(w)) {
      int off = from + j;
      throw new ParseError(line, src.codePointCount(lineStart, off) + 1,
          "the '# Result on " + build + ":' header must be Always, Sometimes or Never, found " + quote(w)
              + suggest(w, RESULTS));
    }
    expectedOn.put(build, w);
  }

  /** The first comment matching {@code Result:\s*(\w+)} sets the expected result. */
  private void header(int from, int end) {
    String s = src.substring(from, end);
    int i = 0;
    while ((i = s.indexOf("Result:", i)) >= 0) {
      int j = i + 7;
      while (j < s.length() && " \t\u000B\f\r".indexOf(s.charAt(j)) >= 0) {
        j++;
      }
      int k = j;
      while (k < s.length() && identPart(s.charAt(k))) {
        k++;
      }
      if (k > j) {
        headerSeen = true;
        String w = s.substring(j, k);
        if (!RESULTS.contains(w)) {
          int off = from + j;
          throw new ParseError(line, src.codePointCount(lineStart, off) + 1,
              "the '# Result:' header must be Always, Sometimes or Never, found " + quote(w) + suggest(w, RESULTS));
        }
        expected = w;
        return;
      }
      i++;
    }
  }

  /**
   * A word on the current line made of letters, digits, '_', '-' (and '.', '+' if nameChars): the
   * test's name after {@code litmus}, the algorithm after {@code ww_class NAME}. Empty if none.
   */
  private Tok rawWord(boolean nameChars) {
    while (p < n && blank(src.charAt(p))) {
      p++;
    }
    int start = p;
    while (p < n) {
      char c = src.charAt(p);
      if (!(identPart(c) || c == '-' || (nameChars && (c == '.' || c == '+')))) {
        break;
      }
      p++;
    }
    return make(T.WORD, src.substring(start, p), start, false);
  }

  /** Describes the input at offset q (after a failed rawWord). */
  private String describeAt(int q) {
    if (q >= n) {
      return "end of file";
    }
    char c = src.charAt(q);
    if (c == '\n') {
      return "end of line";
    }
    if (c == '#' || (c == '/' && q + 1 < n && src.charAt(q + 1) == '/')) {
      return "a comment";
    }
    return "'" + new String(Character.toChars(src.codePointAt(q))) + "'";
  }

  // ------------------------------------------------------------------------------------------
  // Parser state

  private enum NameKind {
    CONTEXT("a fence context", 8, "fence contexts"),
    FENCE("a fence", 12, "fences"),
    RESV("a resv", 4, "resvs"),
    CLASS("a ww_class", 4, "ww_classes"),
    MUTEX("a ww_mutex", 6, "ww_mutexes"),
    THREAD("a thread", 6, "threads"),
    CTX("an acquire context", 6, "acquire contexts"),
    CB("a callback", 6, "callbacks");

    final String what;
    final int max;
    final String plural;

    NameKind(String what, int max, String plural) {
      this.what = what;
      this.max = max;
      this.plural = plural;
    }

    /** "fence context" for "a fence context". */
    String bare() {
      return what.substring(what.indexOf(' ') + 1);
    }
  }

  private record NameInfo(NameKind kind, Litmus.Pos pos) {}

  /** "declared at 3:7", or "predeclared" for a name the file did not declare (line 0). */
  private static String declared(NameInfo ni) {
    return ni.pos.line() == 0 ? "predeclared" : "declared at " + ni.pos;
  }

  /** "declared as a fence at 3:7" / "predeclared as a ww_class". */
  private static String declaredAs(NameInfo ni) {
    return ni.pos.line() == 0 ? "predeclared as " + ni.kind.what : "declared as " + ni.kind.what + " at " + ni.pos;
  }

  private record RegInfo(Result type, String fn, Litmus.Pos pos) {}

  /** One side of a comparison; reg != null for a register (its type is known at the end of the thread). */
  private record Operand(Litmus.Expr expr, Tok tok, String shown, Result litType, String thread, String reg,
      boolean qualified) {}

  /** A comparison whose types are checked once the registers are known. */
  private record Pending(Operand left, Operand right) {}

  private static final class ThreadCtx {
    final String name;
    final Litmus.Pos pos;
    final Map<String, RegInfo> regs = new HashMap<>();
    final List<Pending> pending = new ArrayList<>();
    List<Litmus.Stmt> body = new ArrayList<>();

    ThreadCtx(String name, Litmus.Pos pos) {
      this.name = name;
      this.pos = pos;
    }
  }

  private String testName;
  private final Map<String, NameInfo> names = new HashMap<>();
  private final EnumMap<NameKind, Integer> counts = new EnumMap<>(NameKind.class);
  private final List<String> contexts = new ArrayList<>();
  private final List<Litmus.FenceDecl> fences = new ArrayList<>();
  private final Map<String, Long> lastSeqno = new HashMap<>();
  private final List<String> resvs = new ArrayList<>();
  private final List<Litmus.ClassDecl> classes = new ArrayList<>();
  private final List<Litmus.MutexDecl> mutexes = new ArrayList<>();
  private final List<String> ctxs = new ArrayList<>();
  private final List<String> callbacks = new ArrayList<>();
  private final Map<String, ThreadCtx> threads = new LinkedHashMap<>();
  /** Register name to where it is first assigned, over all threads (registers must not clash with names). */
  private final Map<String, String> allRegs = new HashMap<>();
  private ThreadCtx implicit;
  private ThreadCtx firstBlock;
  private Litmus.Cond exists;
  private Tok existsTok;
  private final List<Pending> existsPending = new ArrayList<>();
  private int statements;
  private int blockDepth;

  // the condition being parsed
  private ThreadCtx condThread;
  private List<Pending> condPending;
  private int condDepth;
  private int terms;
  /** Open '(' / '{' / '[' of the current call arguments, condition or fence set: newlines are free inside. */
  private int parenLevel;

  private void advance() {
    tok = next();
  }

  private boolean isKw(String kw) {
    return tok.t == T.IDENT && tok.text.equals(kw);
  }

  /** The current token continues the statement (same line, or inside parentheses). */
  private boolean sameLine() {
    return parenLevel > 0 || !tok.nl || tok.t == T.EOF;
  }

  private static ParseError error(Tok t, String msg) {
    return new ParseError(t.line, t.col, msg);
  }

  private static Litmus.Pos pos(Tok t) {
    return new Litmus.Pos(t.line, t.col);
  }

  private static String describe(Tok t) {
    switch (t.t) {
      case EOF:
        return "end of file";
      case IDENT:
      case NUMBER:
      case WORD:
        return quote(t.text);
      default:
        return "'" + t.text + "'";
    }
  }

  /** Describes the current token, as "end of line" if the statement ended before it. */
  private String found() {
    return sameLine() ? describe(tok) : "end of line";
  }

  private void skipSemis() {
    while (tok.t == T.SEMI) {
      advance();
    }
  }

  private void endStatement(boolean inBlock) {
    if (tok.t == T.SEMI || tok.t == T.EOF || tok.nl || (inBlock && tok.t == T.RBRACE)) {
      return;
    }
    throw error(tok, "expected a newline or ';' after the statement, found " + describe(tok));
  }

  // ------------------------------------------------------------------------------------------
  // File and declarations

  private Litmus run() {
    advance();
    skipSemis();
    if (!isKw("litmus")) {
      throw error(tok, "expected 'litmus NAME' as the first statement, found " + describe(tok));
    }
    Tok w = rawWord(true);
    if (w.text.isEmpty()) {
      throw error(w, "expected the test's name after 'litmus' (letters, digits, _ - . +), found " + describeAt(p));
    }
    testName = w.text;
    advance();
    endStatement(false);
    for (;;) {
      skipSemis();
      if (tok.t == T.EOF) {
        break;
      }
      topLevel();
      endStatement(false);
    }
    return finish();
  }

  private void topLevel() {
    if (tok.t == T.RBRACE) {
      throw error(tok, "unmatched '}' (no block is open)");
    }
    if (tok.t != T.IDENT) {
      throw error(tok, "expected a declaration (context, fence, resv, ww_class, ww_mutex), a thread block, exists"
          + " or a statement, found " + describe(tok));
    }
    switch (tok.text) {
      case "litmus":
        throw error(tok, "a second 'litmus' statement (a file holds one test)");
      case "context":
        simpleDecl(NameKind.CONTEXT, contexts);
        return;
      case "resv":
        simpleDecl(NameKind.RESV, resvs);
        return;
      case "fence":
        fenceDecl();
        return;
      case "ww_class":
        classDecl();
        return;
      case "ww_mutex":
        mutexDecl();
        return;
      case "thread":
        threadBlock();
        return;
      case "exists":
        existsClause();
        return;
      default:
        Litmus.Stmt s = statement(null, false);
        implicit.body.add(s);
    }
  }

  private void declare(Tok t, NameKind kind) {
    String why = reservedWhy(t.text);
    if (why != null) {
      throw error(t, quote(t.text) + " is " + why + " and cannot name " + kind.what);
    }
    NameInfo prev = names.get(t.text);
    if (prev != null) {
      throw error(t, "duplicate name " + quote(t.text) + ": already " + declaredAs(prev));
    }
    String reg = allRegs.get(t.text);
    if (reg != null) {
      throw error(t, "name " + quote(t.text) + " is already a register (" + reg + ")");
    }
    int c = counts.merge(kind, 1, Integer::sum);
    if (c > kind.max) {
      throw error(t, "too many " + kind.plural + ": at most " + kind.max);
    }
    names.put(t.text, new NameInfo(kind, pos(t)));
  }

  /** A declared name of this kind (messages for undeclared and wrong-kind names). */
  private String lookup(Tok t, NameKind kind, String where) {
    NameInfo ni = names.get(t.text);
    if (ni == null) {
      if (reservedWhy(t.text) != null) {
        throw error(t, "expected " + kind.what + (where == null ? "" : " as " + where) + ", found " + quote(t.text));
      }
      throw error(t, "undeclared " + kind.bare() + " " + quote(t.text));
    }
    if (ni.kind != kind) {
      throw error(t, (where == null ? "expected " + kind.what : where + " must be " + kind.what) + ", but "
          + quote(t.text) + " is " + ni.kind.what + " (" + declared(ni) + ")");
    }
    return t.text;
  }

  private void simpleDecl(NameKind kind, List<String> into) {
    Tok kw = tok;
    advance();
    int count = 0;
    while (tok.t == T.IDENT && sameLine()) {
      declare(tok, kind);
      into.add(tok.text);
      count++;
      advance();
    }
    if (count == 0) {
      throw error(tok, "expected " + kind.what + " name after '" + kw.text + "', found " + found());
    }
  }

  private void fenceDecl() {
    advance();
    List<Tok> ns = new ArrayList<>();
    while (tok.t == T.IDENT && sameLine() && !tok.text.equals("on") && !tok.text.equals("seqno")) {
      declare(tok, NameKind.FENCE);
      ns.add(tok);
      advance();
    }
    if (ns.isEmpty()) {
      throw error(tok, "expected a fence name after 'fence', found " + found());
    }
    if (!(isKw("on") && sameLine())) {
      throw error(tok, "expected 'on CONTEXT' after the fence name" + (ns.size() > 1 ? "s" : "") + ", found " + found());
    }
    advance();
    if (tok.t != T.IDENT || !sameLine()) {
      throw error(tok, "expected a fence context after 'on', found " + found());
    }
    String ctx = lookup(tok, NameKind.CONTEXT, null);
    advance();
    long explicit = -1;
    if (isKw("seqno") && sameLine()) {
      if (ns.size() > 1) {
        throw error(tok, "seqno needs a single fence name, but this declaration has " + ns.size()
            + "; declare the fences one by one");
      }
      advance();
      if (tok.t != T.NUMBER || !sameLine()) {
        throw error(tok, "expected a seqno (0.." + MAX_SEQNO + ") after 'seqno', found " + found());
      }
      explicit = number(tok, "", MAX_SEQNO, "seqno");
      advance();
    }
    List<String> ops = new ArrayList<>();
    if (tok.t == T.IDENT && tok.text.equals("ops") && sameLine()) {
      advance();
      while (tok.t == T.IDENT && sameLine() && FENCE_OPS.contains(tok.text)) {
        if (ops.contains(tok.text)) {
          throw error(tok, "ops " + tok.text + " appears twice");
        }
        ops.add(tok.text);
        advance();
      }
      if (ops.isEmpty()) {
        throw error(tok, "expected signaled or enable_signaling after 'ops', found " + found());
      }
    }
    for (Tok t : ns) {
      long s = explicit >= 0 ? explicit : lastSeqno.getOrDefault(ctx, 0L) + 1;
      if (s > MAX_SEQNO) {
        throw error(t, "the seqno of " + t.text + " would be " + s + " (at most " + MAX_SEQNO + ")");
      }
      lastSeqno.put(ctx, s);
      fences.add(new Litmus.FenceDecl(t.text, ctx, s, pos(t), List.copyOf(ops)));
    }
  }

  private void classDecl() {
    advance();
    if (tok.t != T.IDENT || !sameLine()) {
      throw error(tok, "expected a ww_class name after 'ww_class', found " + found());
    }
    Tok nt = tok;
    declare(nt, NameKind.CLASS);
    Tok w = rawWord(false);
    boolean waitDie;
    if (w.text.equals("wait-die")) {
      waitDie = true;
    } else if (w.text.equals("wound-wait")) {
      waitDie = false;
    } else {
      throw error(w, "expected wait-die or wound-wait after the ww_class name, found "
          + (w.text.isEmpty() ? describeAt(p) : quote(w.text) + suggest(w.text, List.of("wait-die", "wound-wait"))));
    }
    classes.add(new Litmus.ClassDecl(nt.text, waitDie, pos(nt)));
    advance();
  }

  private void mutexDecl() {
    advance();
    List<Tok> ns = new ArrayList<>();
    while (tok.t == T.IDENT && sameLine() && !tok.text.equals("class")) {
      declare(tok, NameKind.MUTEX);
      ns.add(tok);
      advance();
    }
    if (ns.isEmpty()) {
      throw error(tok, "expected a ww_mutex name after 'ww_mutex', found " + found());
    }
    if (!(isKw("class") && sameLine())) {
      throw error(tok, "expected 'class CLASS' after the ww_mutex name" + (ns.size() > 1 ? "s" : "") + ", found " + found());
    }
    advance();
    if (tok.t != T.IDENT || !sameLine()) {
      throw error(tok, "expected a ww_class after 'class', found " + found());
    }
    String cls = lookup(tok, NameKind.CLASS, null);
    advance();
    for (Tok t : ns) {
      mutexes.add(new Litmus.MutexDecl(t.text, cls, pos(t)));
    }
  }

  private void threadBlock() {
    Tok kw = tok;
    if (implicit != null) {
      throw error(kw, "thread block after top-level statements (they form thread P0, from " + implicit.pos
          + "); put every statement in a thread block");
    }
    advance();
    if (tok.t != T.IDENT || !sameLine()) {
      throw error(tok, "expected a thread name after 'thread', found " + found());
    }
    Tok nt = tok;
    declare(nt, NameKind.THREAD);
    advance();
    if (tok.t != T.LBRACE) {
      throw error(tok, "expected '{' after 'thread " + nt.text + "', found " + describe(tok));
    }
    ThreadCtx th = new ThreadCtx(nt.text, pos(kw));
    threads.put(th.name, th);
    if (firstBlock == null) {
      firstBlock = th;
    }
    th.body = block(th);
    finishThread(th);
  }

  private void existsClause() {
    Tok kw = tok;
    if (existsTok != null) {
      throw error(kw, "a second exists clause (the first is at " + pos(existsTok)
          + "); combine the conditions with && or ||");
    }
    existsTok = kw;
    advance();
    exists = condition(null);
  }

  /** The implicit thread P0 of top-level statements, created at the first one. */
  private ThreadCtx ensureImplicit(Tok at) {
    if (implicit != null) {
      return implicit;
    }
    if (firstBlock != null) {
      throw error(at, "statement outside a thread block, but the file has thread blocks (thread " + firstBlock.name
          + " at " + firstBlock.pos + "); put it in a thread block");
    }
    NameInfo prev = names.get("P0");
    if (prev != null) {
      throw error(at, "the top-level statements form thread P0, but 'P0' is already declared as " + prev.kind.what
          + " at " + prev.pos);
    }
    int c = counts.merge(NameKind.THREAD, 1, Integer::sum);
    if (c > NameKind.THREAD.max) {
      throw error(at, "too many threads: at most " + NameKind.THREAD.max);
    }
    names.put("P0", new NameInfo(NameKind.THREAD, pos(at)));
    implicit = new ThreadCtx("P0", pos(at));
    threads.put("P0", implicit);
    return implicit;
  }

  private void finishThread(ThreadCtx th) {
    for (Pending pc : th.pending) {
      checkTypes(pc);
    }
  }

  private Litmus finish() {
    if (implicit != null) {
      finishThread(implicit);
    }
    if (statements == 0) {
      throw error(tok, "no statements: a litmus file needs at least one call, at top level or in a thread block");
    }
    for (Pending pc : existsPending) {
      checkTypes(pc);
    }
    List<Litmus.ThreadDecl> ts = new ArrayList<>();
    for (ThreadCtx th : threads.values()) {
      ts.add(new Litmus.ThreadDecl(th.name, List.copyOf(th.body), th.pos));
    }
    return new Litmus(file, testName, expected, List.copyOf(contexts), List.copyOf(fences), List.copyOf(resvs),
        List.copyOf(classes), List.copyOf(mutexes), List.copyOf(ctxs), List.copyOf(callbacks), List.copyOf(ts),
        exists, java.util.Map.copyOf(expectedOn));
  }

  // ------------------------------------------------------------------------------------------
  // Statements

  private List<Litmus.Stmt> block(ThreadCtx th) {
    Tok open = tok;
    advance();
    List<Litmus.Stmt> out = new ArrayList<>();
    for (;;) {
      skipSemis();
      if (tok.t == T.RBRACE) {
        advance();
        return List.copyOf(out);
      }
      if (tok.t == T.EOF) {
        throw error(tok, "expected '}' to close the block opened at " + pos(open) + ", found end of file");
      }
      out.add(statement(th, true));
      endStatement(true);
    }
  }

  private void enterBlock(Tok t) {
    if (++blockDepth > MAX_NESTING) {
      throw error(t, "nesting too deep: more than " + MAX_NESTING + " nested blocks (if, else, while)");
    }
  }

  /** A statement; th is null at top level (the implicit thread P0 is created once one is recognised). */
  private Litmus.Stmt statement(ThreadCtx th, boolean inBlock) {
    Tok start = tok;
    if (tok.t != T.IDENT) {
      throw error(tok, "expected a statement (a call, REG = call(...), expect, if or while), found " + describe(tok));
    }
    switch (tok.text) {
      case "expect": {
        ThreadCtx t = th != null ? th : ensureImplicit(start);
        advance();
        Litmus.Cond c = condition(t);
        statements++;
        return new Litmus.Expect(c, pos(start));
      }
      case "if":
        return ifStmt(th != null ? th : ensureImplicit(start));
      case "while": {
        ThreadCtx t = th != null ? th : ensureImplicit(start);
        advance();
        if (tok.t != T.LPAREN || !sameLine()) {
          throw error(tok, "expected '(' after 'while', found " + found());
        }
        Litmus.Cond c = parenCondition(t);
        List<Litmus.Stmt> body = body(t, "while");
        statements++;
        return new Litmus.While(c, body, pos(start));
      }
      case "else":
        throw error(tok, "'else' without a matching 'if'");
      case "context":
      case "fence":
      case "resv":
      case "ww_class":
      case "ww_mutex":
      case "litmus":
        throw error(tok, "declarations must be at top level, not inside thread " + th.name);
      case "thread":
        throw error(tok, "thread blocks cannot be nested (this is inside thread " + th.name + ")");
      case "exists":
        throw error(tok, "exists must be at top level, not inside thread " + th.name);
      default:
        return callStmt(th, inBlock);
    }
  }

  private Litmus.Stmt ifStmt(ThreadCtx th) {
    Tok kw = tok;
    advance();
    if (tok.t != T.LPAREN || !sameLine()) {
      throw error(tok, "expected '(' after 'if', found " + found());
    }
    Litmus.Cond c = parenCondition(th);
    List<Litmus.Stmt> then = body(th, "if");
    List<Litmus.Stmt> otherwise = List.of();
    if (isKw("else")) {
      advance();
      if (isKw("if") && sameLine()) {
        enterBlock(tok);
        otherwise = List.of(ifStmt(th));
        blockDepth--;
      } else if (tok.t == T.LBRACE) {
        otherwise = body(th, "else");
      } else {
        throw error(tok, "expected '{' or 'if' after 'else', found " + describe(tok));
      }
    }
    statements++;
    return new Litmus.If(c, then, otherwise, pos(kw));
  }

  private List<Litmus.Stmt> body(ThreadCtx th, String what) {
    if (tok.t != T.LBRACE) {
      throw error(tok, "expected '{' after " + (what.equals("else") ? "'else'" : "the condition of " + what)
          + ", found " + describe(tok));
    }
    enterBlock(tok);
    List<Litmus.Stmt> b = block(th);
    blockDepth--;
    return b;
  }

  private Litmus.Stmt callStmt(ThreadCtx th, boolean inBlock) {
    Tok first = tok;
    advance();
    Tok regTok = null;
    Tok callTok;
    if (tok.t == T.ASSIGN && sameLine()) {
      regTok = first;
      advance();
      if (tok.t != T.IDENT || !sameLine()) {
        throw error(tok, "expected a call after '" + first.text + " =', found " + found());
      }
      callTok = tok;
      advance();
    } else {
      callTok = first;
    }
    Fn fn = Calls.byName(callTok.text).orElse(null);
    if (fn == null) {
      if (regTok == null && !(tok.t == T.LPAREN && sameLine())) {
        List<String> pool = new ArrayList<>(KEYWORDS);
        pool.addAll(Calls.names());
        String expect = inBlock
            ? "a statement (a call, REG = call(...), expect, if or while)"
            : "a declaration (context, fence, resv, ww_class, ww_mutex), a thread block, exists or a statement";
        throw error(first, "expected " + expect + ", found " + quote(first.text) + suggest(first.text, pool));
      }
      String s = suggest(callTok.text, Calls.names());
      throw error(callTok, "unknown call " + quote(callTok.text)
          + (s.isEmpty() ? " (the calls are " + String.join(", ", Calls.names()) + ")" : s));
    }
    if (tok.t != T.LPAREN || !sameLine()) {
      throw error(tok, "expected '(' after " + fn.kernelName() + ", found " + found());
    }
    ThreadCtx t = th != null ? th : ensureImplicit(first);
    if (regTok != null) {
      assign(t, regTok, fn, callTok);
    }
    Litmus.Call call = callArgs(fn, callTok);
    statements++;
    return new Litmus.CallStmt(regTok == null ? null : regTok.text, call, pos(first));
  }

  private void assign(ThreadCtx th, Tok regTok, Fn fn, Tok callTok) {
    String r = regTok.text;
    String why = reservedWhy(r);
    if (why != null) {
      throw error(regTok, quote(r) + " is " + why + " and cannot name a register");
    }
    NameInfo ni = names.get(r);
    if (ni != null) {
      throw error(regTok, "register " + quote(r) + " clashes with " + ni.kind.what + " " + declared(ni));
    }
    if (fn.result() == Result.VOID) {
      throw error(callTok, fn.kernelName() + " returns void; its result cannot be assigned to " + quote(r));
    }
    RegInfo prev = th.regs.get(r);
    if (prev == null) {
      th.regs.put(r, new RegInfo(fn.result(), fn.kernelName(), pos(regTok)));
      allRegs.putIfAbsent(r, "thread " + th.name + ", " + pos(regTok));
    } else if (prev.type != fn.result()) {
      throw error(regTok, "register " + r + " already holds " + typeWhat(prev.type) + " (" + prev.fn + " at "
          + prev.pos + "); " + fn.kernelName() + " returns " + typeWhat(fn.result()));
    }
  }

  private static String paramList(Fn fn) {
    StringBuilder sb = new StringBuilder();
    for (Kind k : fn.params()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(k.name().toLowerCase());
    }
    return sb.toString();
  }

  private Litmus.Call callArgs(Fn fn, Tok callTok) {
    advance(); // '('
    parenLevel++;
    List<Tok[]> raw = new ArrayList<>();
    if (tok.t != T.RPAREN) {
      for (;;) {
        Tok a = tok;
        if (a.t == T.MINUS) {
          advance();
          Tok b = tok;
          if (b.t != T.NUMBER && b.t != T.IDENT) {
            throw error(b, "expected a number or an error name such as EIO after '-', found " + describe(b));
          }
          advance();
          raw.add(new Tok[] {a, b});
        } else if (a.t == T.IDENT || a.t == T.NUMBER) {
          advance();
          raw.add(new Tok[] {a, null});
        } else {
          throw error(a, "expected an argument of " + fn.signature() + " (a name, a number, -EXXX, true, false or"
              + " NULL), found " + describe(a));
        }
        if (tok.t == T.COMMA) {
          advance();
          continue;
        }
        if (tok.t == T.RPAREN) {
          break;
        }
        throw error(tok, "expected ',' or ')' after argument " + raw.size() + " of " + fn.kernelName() + ", found "
            + describe(tok));
      }
    }
    Tok rp = tok;
    parenLevel--;
    advance();
    int want = fn.params().size();
    if (raw.size() != want) {
      Tok at = raw.size() > want ? raw.get(want)[0] : rp;
      throw error(at, fn.kernelName() + " takes " + want + " argument" + (want == 1 ? "" : "s") + " ("
          + paramList(fn) + "), got " + raw.size());
    }
    List<Litmus.Arg> args = new ArrayList<>();
    for (int i = 0; i < want; i++) {
      args.add(arg(fn, i, raw.get(i)[0], raw.get(i)[1]));
    }
    return new Litmus.Call(fn, List.copyOf(args), pos(callTok));
  }

  private static NameKind nameKind(Kind k) {
    switch (k) {
      case FENCE:
        return NameKind.FENCE;
      case RESV:
        return NameKind.RESV;
      case MUTEX:
        return NameKind.MUTEX;
      case CLASS:
        return NameKind.CLASS;
      case CONTEXT:
        return NameKind.CONTEXT;
      case CB:
        return NameKind.CB;
      default:
        return NameKind.CTX;
    }
  }

  /** Argument i of fn: a (and b after '-'). */
  private Litmus.Arg arg(Fn fn, int i, Tok a, Tok b) {
    Kind k = fn.params().get(i);
    String shown = b == null ? a.text : "-" + b.text;
    String where = "argument " + (i + 1) + " (" + k.name().toLowerCase() + ") of " + fn.kernelName();
    boolean name = b == null && a.t == T.IDENT;
    switch (k) {
      case FENCE:
      case RESV:
      case MUTEX:
      case CLASS:
      case CONTEXT:
        if (!name || reservedWhy(a.text) != null) {
          throw error(a, where + " must be " + k.what() + ", found " + quote(shown));
        }
        return new Litmus.Name(lookup(a, nameKind(k), where));
      case CTX:
      case CTX_OR_NULL: {
        if (k == Kind.CTX_OR_NULL && name && a.text.equals("NULL")) {
          return new Litmus.Null();
        }
        if (!name || reservedWhy(a.text) != null) {
          throw error(a, where + " must be " + k.what() + ", found " + quote(shown));
        }
        if ((fn == Fn.WW_ACQUIRE_INIT || fn == Fn.WW_ACQUIRE_INIT_NOINJECT) && i == 0) {
          introduce(a, NameKind.CTX, ctxs, where);
        } else {
          NameInfo ni = names.get(a.text);
          if (ni == null) {
            throw error(a, "undeclared acquire context " + quote(a.text) + " (introduce it with ww_acquire_init("
                + a.text + ", CLASS))");
          }
          if (ni.kind != NameKind.CTX) {
            throw error(a, where + " must be " + k.what() + ", but " + quote(a.text) + " is " + ni.kind.what
                + " (" + declared(ni) + ")");
          }
        }
        return new Litmus.Name(a.text);
      }
      case CB:
        if (!name || reservedWhy(a.text) != null) {
          throw error(a, where + " must be " + k.what() + ", found " + quote(shown));
        }
        introduce(a, NameKind.CB, callbacks, where);
        return new Litmus.Name(a.text);
      case USAGE:
        if (name && Calls.USAGES.contains(a.text)) {
          return new Litmus.Name(a.text);
        }
        throw error(a, where + " must be " + k.what() + ", found " + quote(shown)
            + (name ? suggest(a.text, Calls.USAGES) : ""));
      case INT:
        if (a.t == T.NUMBER) {
          return new Litmus.Num(number(a, "", Calls.MAX_INT, "integer"), a.text);
        }
        if (name && a.text.equals(Calls.MAX_SCHEDULE_TIMEOUT_WORD)) {
          if (!Calls.isTimeout(fn, i)) {
            throw error(a, where + " must be " + k.what() + ", found " + quote(shown)
                + " (MAX_SCHEDULE_TIMEOUT is a timeout: only dma_fence_wait_timeout and dma_resv_wait_timeout take it)");
          }
          return new Litmus.Num(Calls.MAX_SCHEDULE_TIMEOUT, a.text);
        }
        if (a.t == T.MINUS && b.t == T.NUMBER) {
          return new Litmus.Num(-number(b, "-", Calls.MAX_INT, "integer"), "-" + b.text);
        }
        throw error(a, where + " must be " + k.what() + ", found " + quote(shown));
      case ERROR:
        if (a.t == T.MINUS && b.t == T.IDENT) {
          return new Litmus.Num(-errno(b), "-" + b.text);
        }
        if (a.t == T.MINUS && b.t == T.NUMBER) {
          long v = number(b, "-", Calls.MAX_INT, "integer");
          return new Litmus.Num(-v, "-" + b.text);
        }
        if (a.t == T.NUMBER) {
          // dma_fence_set_error WARNs on a value that is not an error: expressible on purpose
          return new Litmus.Num(number(a, "", Calls.MAX_INT, "integer"), a.text);
        }
        throw error(a, where + " must be " + k.what() + " (or an integer), found " + quote(shown)
            + (name && Calls.ERRNO.containsKey(a.text) ? " (write -" + a.text + ")" : ""));
      case BOOL:
        if (name && (a.text.equals("true") || a.text.equals("false"))) {
          return new Litmus.Bool(a.text.equals("true"));
        }
        throw error(a, where + " must be true or false, found " + quote(shown));
      default:
        throw new IllegalStateException("kind " + k);
    }
  }

  /** An acquire context or callback: introduced here unless already known. */
  private void introduce(Tok a, NameKind kind, List<String> into, String where) {
    NameInfo ni = names.get(a.text);
    if (ni != null) {
      if (ni.kind != kind) {
        throw error(a, where + " must be " + kind.what + ", but " + quote(a.text) + " is " + ni.kind.what
            + " (" + declared(ni) + ")");
      }
      return;
    }
    declare(a, kind);
    into.add(a.text);
  }

  private long errno(Tok t) {
    Integer e = Calls.ERRNO.get(t.text);
    if (e == null) {
      String s = suggest(t.text, Calls.ERRNO.keySet());
      throw error(t, "unknown error name " + quote(t.text)
          + (s.isEmpty() ? " (known: " + String.join(", ", Calls.ERRNO.keySet()) + ")" : s));
    }
    return e;
  }

  /** The value of a NUMBER token, at most max (sign only for the message). */
  private static long number(Tok t, String sign, long max, String what) {
    String s = t.text;
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    long v = s.length() - i > 18 ? Long.MAX_VALUE : Long.parseLong(s.substring(i));
    if (v > max) {
      throw error(t, what + " " + quote(sign + s) + " is too large" + (sign.isEmpty() ? "" : " in absolute value")
          + " (at most " + max + ")");
    }
    return v;
  }

  // ------------------------------------------------------------------------------------------
  // Conditions

  private void beginCond(ThreadCtx th) {
    condThread = th;
    condPending = th != null ? th.pending : existsPending;
    condDepth = 0;
    terms = 0;
    parenLevel = 0;
  }

  /** expect / exists: a whole condition. */
  private Litmus.Cond condition(ThreadCtx th) {
    beginCond(th);
    return orCond();
  }

  /** if / while: '(' COND ')'. */
  private Litmus.Cond parenCondition(ThreadCtx th) {
    beginCond(th);
    return parenCond();
  }

  private void enterCond(Tok t) {
    if (++condDepth > MAX_NESTING) {
      throw error(t, "nesting too deep: more than " + MAX_NESTING + " levels of '(' and '!' in a condition");
    }
  }

  private void term(Tok t) {
    if (++terms > MAX_TERMS) {
      throw error(t, "condition too long: more than " + MAX_TERMS + " comparisons and atoms");
    }
  }

  private Litmus.Cond orCond() {
    Litmus.Cond l = andCond();
    while (tok.t == T.OR && sameLine()) {
      advance();
      l = new Litmus.Or(l, andCond());
    }
    return l;
  }

  private Litmus.Cond andCond() {
    Litmus.Cond l = unary();
    while (tok.t == T.AND && sameLine()) {
      advance();
      l = new Litmus.And(l, unary());
    }
    return l;
  }

  private Litmus.Cond unary() {
    if (!sameLine()) {
      throw error(tok, "expected a condition, found end of line");
    }
    if (tok.t == T.NOT) {
      enterCond(tok);
      advance();
      Litmus.Cond c = new Litmus.Not(unary());
      condDepth--;
      return c;
    }
    return primary();
  }

  private Litmus.Cond parenCond() {
    Tok open = tok;
    enterCond(open);
    advance();
    parenLevel++;
    Litmus.Cond c = orCond();
    if (tok.t != T.RPAREN) {
      throw error(tok, "expected ')' to close the '(' at " + pos(open) + ", found " + describe(tok));
    }
    parenLevel--;
    condDepth--;
    advance();
    return c;
  }

  private Litmus.Cond primary() {
    if (tok.t == T.LPAREN) {
      return parenCond();
    }
    if (tok.t == T.IDENT) {
      Tok t = tok;
      switch (t.text) {
        case "deadlock":
        case "warn":
        case "bug":
        case "contract":
          term(t);
          advance();
          return new Litmus.Atom(t.text);
        case "signaled": {
          term(t);
          advance();
          if (tok.t != T.LPAREN || !sameLine()) {
            throw error(tok, "expected '(' after signaled, found " + found());
          }
          advance();
          parenLevel++;
          if (tok.t != T.IDENT) {
            throw error(tok, "expected a fence in signaled(...), found " + describe(tok));
          }
          String f = lookup(tok, NameKind.FENCE, null);
          advance();
          if (tok.t != T.RPAREN) {
            throw error(tok, "expected ')' after signaled(" + f + ", found " + describe(tok));
          }
          parenLevel--;
          advance();
          return new Litmus.Signaled(f);
        }
        case "true":
        case "false": {
          boolean v = t.text.equals("true");
          advance();
          if ((tok.t == T.EQ || tok.t == T.NE) && sameLine()) {
            return comparison(new Operand(new Litmus.Lit(new Value.Bool(v)), t, t.text, Result.BOOL, null, null,
                false));
          }
          term(t);
          return new Litmus.BoolConst(v);
        }
        default:
          break;
      }
    }
    return comparison(operand());
  }

  private Litmus.Cond comparison(Operand l) {
    term(l.tok);
    if (!((tok.t == T.EQ || tok.t == T.NE) && sameLine())) {
      throw error(tok, "expected '==' or '!=' after " + quote(l.shown) + ", found " + found());
    }
    boolean eq = tok.t == T.EQ;
    advance();
    Operand r = operand();
    condPending.add(new Pending(l, r));
    return new Litmus.Cmp(l.expr, eq, r.expr);
  }

  private static final String VALUE =
      "a value (a register, a number, an error such as -EIO, true, false, a fence sequence such as [f1, f2]"
          + " or a fence set such as {f1})";

  private Operand operand() {
    Tok t = tok;
    if (!sameLine()) {
      throw error(t, "expected " + VALUE + ", found end of line");
    }
    switch (t.t) {
      case NUMBER: {
        long v = number(t, "", Calls.MAX_INT, "integer");
        advance();
        return lit(t, t.text, new Value.Int(v), Result.INT);
      }
      case MINUS: {
        advance();
        Tok b = tok;
        if (b.t == T.NUMBER && sameLine()) {
          long v = number(b, "-", Calls.MAX_INT, "integer");
          advance();
          return lit(t, "-" + b.text, new Value.Int(-v), Result.INT);
        }
        if (b.t == T.IDENT && sameLine()) {
          long v = errno(b);
          advance();
          return lit(t, "-" + b.text, new Value.Int(-v), Result.INT);
        }
        throw error(b, "expected a number or an error name such as EIO after '-', found " + found());
      }
      case LBRACE:
        return fenceSet();
      case LBRACKET:
        return fenceSeq();
      case IDENT:
        return identOperand();
      default:
        throw error(t, "expected " + VALUE + ", found " + describe(t));
    }
  }

  private Operand lit(Tok t, String shown, Value v, Result type) {
    return new Operand(new Litmus.Lit(v), t, shown, type, null, null, false);
  }

  private Operand fenceSet() {
    Tok open = tok;
    advance();
    parenLevel++;
    List<String> fs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (tok.t != T.RBRACE) {
      for (;;) {
        if (tok.t != T.IDENT) {
          throw error(tok, "expected a fence in the fence set, found " + describe(tok));
        }
        String f = lookup(tok, NameKind.FENCE, null);
        if (!seen.add(f)) {
          throw error(tok, "fence " + f + " appears twice in the fence set");
        }
        fs.add(f);
        advance();
        if (tok.t == T.COMMA) {
          advance();
          continue;
        }
        if (tok.t == T.RBRACE) {
          break;
        }
        throw error(tok, "expected ',' or '}' in the fence set opened at " + pos(open) + ", found " + describe(tok));
      }
    }
    parenLevel--;
    advance();
    Value.FenceSet v = Value.FenceSet.of(fs);
    return lit(open, v.toString(), v, Result.FENCES);
  }

  /** {@code [f1, f2, f1]}: fences in order, a fence may repeat (a table can hold it twice). */
  private Operand fenceSeq() {
    Tok open = tok;
    advance();
    parenLevel++;
    List<String> fs = new ArrayList<>();
    if (tok.t != T.RBRACKET) {
      for (;;) {
        if (tok.t != T.IDENT) {
          throw error(tok, "expected a fence in the fence sequence, found " + describe(tok));
        }
        fs.add(lookup(tok, NameKind.FENCE, null));
        advance();
        if (tok.t == T.COMMA) {
          advance();
          continue;
        }
        if (tok.t == T.RBRACKET) {
          break;
        }
        throw error(tok, "expected ',' or ']' in the fence sequence opened at " + pos(open) + ", found "
            + describe(tok));
      }
    }
    parenLevel--;
    advance();
    Value.FenceSeq v = new Value.FenceSeq(fs);
    return lit(open, v.toString(), v, Result.FENCES);
  }

  private Operand identOperand() {
    Tok t = tok;
    String s = t.text;
    if (s.equals("true") || s.equals("false")) {
      advance();
      return lit(t, s, new Value.Bool(s.equals("true")), Result.BOOL);
    }
    if (s.equals("NULL")) {
      throw error(t, "NULL cannot appear in a condition (no call returns a pointer)");
    }
    if (s.equals(Calls.MAX_SCHEDULE_TIMEOUT_WORD)) {
      advance();
      return lit(t, s, new Value.Int(Calls.MAX_SCHEDULE_TIMEOUT), Result.INT);
    }
    String why = reservedWhy(s);
    if (why != null) {
      throw error(t, "expected " + VALUE + ", found " + quote(s)
          + (why.equals("a call name") ? " (a call: assign its result to a register and compare the register)" : ""));
    }
    advance();
    if (tok.t == T.COLON && sameLine()) {
      advance();
      Tok r = tok;
      if (r.t != T.IDENT || !sameLine() || reservedWhy(r.text) != null) {
        throw error(r, "expected a register name after '" + s + ":', found " + found());
      }
      advance();
      String shown = s + ":" + r.text;
      if (condThread != null && !s.equals(condThread.name)) {
        throw error(t, "thread " + condThread.name + " can only read its own registers, not " + shown
            + " (final values of other threads go in exists)");
      }
      return new Operand(new Litmus.Reg(s, r.text), t, shown, null, s, r.text, true);
    }
    NameInfo ni = names.get(s);
    if (ni != null && ni.kind == NameKind.THREAD) {
      throw error(tok, "expected ':' and a register after thread " + s + " (registers are written THREAD:REG), found "
          + found());
    }
    if (ni != null) {
      throw error(t, quote(s) + " is " + ni.kind.what + " (" + declared(ni) + "), not a register");
    }
    if (condThread == null) {
      String th = threads.isEmpty() ? "P0" : threads.keySet().iterator().next();
      throw error(t, "in exists, registers must be written THREAD:REG (e.g. " + th + ":" + s + "), found " + quote(s));
    }
    return new Operand(new Litmus.Reg(condThread.name, s), t, s, null, condThread.name, s, false);
  }

  private static String typeWhat(Result r) {
    switch (r) {
      case INT:
        return "an integer";
      case BOOL:
        return "a bool";
      case FENCES:
        return "a fence list";
      default:
        return "nothing";
    }
  }

  private static String compareHint(Result r) {
    switch (r) {
      case INT:
        return "an integer or an error such as -EIO";
      case BOOL:
        return "true or false";
      default:
        return "a fence sequence such as [f2, f1] or [], or a fence set such as {f1, f2} or {}";
    }
  }

  /** The register's assignment, checked at the end of its thread (or of the file, for exists). */
  private RegInfo regInfo(Operand o) {
    ThreadCtx th = threads.get(o.thread);
    if (th == null) {
      NameInfo ni = names.get(o.thread);
      throw error(o.tok, ni != null
          ? quote(o.thread) + " is " + ni.kind.what + " (" + declared(ni) + "), not a thread (in " + o.shown + ")"
          : "no thread " + quote(o.thread) + " (in " + o.shown + ")");
    }
    RegInfo ri = th.regs.get(o.reg);
    if (ri == null) {
      throw error(o.tok, o.qualified
          ? o.shown + " is never assigned (thread " + th.name + " has no '" + o.reg + " = call(...)')"
          : "register " + quote(o.reg) + " is never assigned in thread " + th.name);
    }
    return ri;
  }

  private void checkTypes(Pending pc) {
    Operand l = pc.left;
    Operand r = pc.right;
    RegInfo li = l.reg != null ? regInfo(l) : null;
    RegInfo ri = r.reg != null ? regInfo(r) : null;
    Result lt = li != null ? li.type : l.litType;
    Result rt = ri != null ? ri.type : r.litType;
    if (lt == rt) {
      return;
    }
    if (li != null && ri != null) {
      throw error(l.tok, l.shown + " holds " + typeWhat(lt) + " (" + li.fn + ") but " + r.shown + " holds "
          + typeWhat(rt) + " (" + ri.fn + "); they cannot be compared");
    }
    if (li != null) {
      throw error(l.tok, l.shown + " holds " + typeWhat(lt) + " (" + li.fn + "); compare it with " + compareHint(lt)
          + ", not " + r.shown);
    }
    if (ri != null) {
      throw error(r.tok, r.shown + " holds " + typeWhat(rt) + " (" + ri.fn + "); compare it with " + compareHint(rt)
          + ", not " + l.shown);
    }
    throw error(l.tok, "cannot compare " + typeWhat(lt) + " (" + l.shown + ") with " + typeWhat(rt) + " (" + r.shown
        + ")");
  }

  // ------------------------------------------------------------------------------------------
  // Messages

  /** 'text', cut to QUOTE_MAX characters. */
  private static String quote(String s) {
    return "'" + (s.length() > QUOTE_MAX ? s.substring(0, QUOTE_MAX) + "..." : s) + "'";
  }

  /** " (did you mean X?)" for the closest candidate within edit distance 3, or "". */
  private static String suggest(String s, Collection<String> pool) {
    int limit = Math.min(3, Math.max(1, s.length() / 2));
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String c : pool) {
      if (Math.abs(c.length() - s.length()) > limit || c.equals(s)) {
        continue;
      }
      int d = distance(s, c);
      if (d <= limit && d < bestD) {
        best = c;
        bestD = d;
      }
    }
    return best == null ? "" : " (did you mean " + best + "?)";
  }

  /** Levenshtein distance (only called for strings of similar, short length). */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Escapes characters that are not printable as {@code \}{@code uXXXX}. */
  static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int len = Character.charCount(cp);
      boolean ok = printable(cp);
      if (!ok && sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (sb != null) {
        if (ok) {
          sb.appendCodePoint(cp);
        } else {
          for (int k = i; k < i + len; k++) {
            sb.append(String.format("\\u%04x", (int) s.charAt(k)));
          }
        }
      }
      i += len;
    }
    return sb == null ? s : sb.toString();
  }

  private static boolean printable(int cp) {
    if (cp == ' ') {
      return true;
    }
    if (Character.isISOControl(cp)) {
      return false;
    }
    switch (Character.getType(cp)) {
      case Character.FORMAT:
      case Character.UNASSIGNED:
      case Character.PRIVATE_USE:
      case Character.SURROGATE:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SPACE_SEPARATOR:
        return false;
      default:
        return true;
    }
  }
}
