package org.syncref.modelcheck;

/** When a model is checked: {@code ci} on every run, {@code deep} only with {@code --deep}. */
public enum Mode {
  CI,
  DEEP;

  /** The manifest spelling. */
  public String text() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
