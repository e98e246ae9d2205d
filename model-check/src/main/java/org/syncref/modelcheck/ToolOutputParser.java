package org.syncref.modelcheck;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits TLC's {@code -tool} output, fed line by line, into {@link ToolMessage}s; lines outside
 * any message (SANY's parse errors among them) are kept as the last few plain lines.
 */
public final class ToolOutputParser {
  private static final Pattern START = Pattern.compile("@!@!@STARTMSG (\\d+):(\\d+) @!@!@");
  private static final Pattern END = Pattern.compile("@!@!@ENDMSG (\\d+) @!@!@");
  private static final int PLAIN_KEPT = 60;

  private int code = -1;
  private int severity;
  private StringBuilder body;
  private final Deque<String> plain = new ArrayDeque<>();

  /** Takes one line (without its newline); returns the message it completes, or null. */
  public ToolMessage accept(String line) {
    Matcher start = START.matcher(line);
    if (start.find()) {
      // A message may start on the same line as earlier text (TLC does not always end lines).
      String before = line.substring(0, start.start());
      if (!before.isBlank()) {
        plainOrBody(before);
      }
      code = Integer.parseInt(start.group(1));
      severity = Integer.parseInt(start.group(2));
      body = new StringBuilder();
      String after = line.substring(start.end());
      if (!after.isEmpty()) {
        return accept(after);
      }
      return null;
    }
    Matcher end = END.matcher(line);
    if (end.find() && code >= 0) {
      String before = line.substring(0, end.start());
      if (!before.isEmpty()) {
        body.append(before).append('\n');
      }
      String text = body.toString();
      if (text.endsWith("\n")) {
        text = text.substring(0, text.length() - 1);
      }
      ToolMessage m = new ToolMessage(code, severity, text);
      code = -1;
      body = null;
      return m;
    }
    plainOrBody(line);
    return null;
  }

  private void plainOrBody(String line) {
    if (code >= 0) {
      body.append(line).append('\n');
    } else {
      if (plain.size() == PLAIN_KEPT) {
        plain.removeFirst();
      }
      plain.addLast(line);
    }
  }

  /** The last plain lines (outside any message), oldest first. */
  public String plainTail() {
    return String.join("\n", plain);
  }
}
