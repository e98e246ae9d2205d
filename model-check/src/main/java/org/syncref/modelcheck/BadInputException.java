package org.syncref.modelcheck;

/** Bad user input (a manifest row, a command-line argument), reported as one line {@code FILE:LINE: what was expected}. */
public final class BadInputException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must be a single line. */
  public BadInputException(String message) {
    super(message.replace('\n', ' '));
  }

  /** Creates the exception for line {@code line} of {@code file}. */
  public static BadInputException at(Object file, int line, String what) {
    return new BadInputException(file + ":" + line + ": " + what);
  }
}
