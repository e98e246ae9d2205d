package org.syncref.modelcheck;

/** What TLC should report for a model: success, a deadlock, or the violation of a named invariant or property. */
public sealed interface Expected {
  /** The manifest spelling, e.g. {@code invariant:TypeOK}. */
  String text();

  /** True for the outcomes that mean "TLC found no error". */
  default boolean passes() {
    return this instanceof Success;
  }

  /** TLC explores the whole state space without error. */
  record Success() implements Expected {
    public String text() {
      return "success";
    }
  }

  /** TLC reports a deadlock. */
  record Deadlock() implements Expected {
    public String text() {
      return "deadlock";
    }
  }

  /** TLC reports the invariant {@code name} violated. */
  record Invariant(String name) implements Expected {
    public String text() {
      return "invariant:" + name;
    }
  }

  /** TLC reports the (temporal or action) property {@code name} violated. */
  record Property(String name) implements Expected {
    public String text() {
      return "property:" + name;
    }
  }

  /** Parses the manifest spelling; returns null if {@code s} is not one. */
  static Expected parse(String s) {
    if (s.equals("success")) {
      return new Success();
    }
    if (s.equals("deadlock")) {
      return new Deadlock();
    }
    int colon = s.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String kind = s.substring(0, colon);
    String name = s.substring(colon + 1);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      return null;
    }
    return switch (kind) {
      case "invariant" -> new Invariant(name);
      case "property" -> new Property(name);
      default -> null;
    };
  }
}
