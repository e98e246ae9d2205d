package org.syncref.modelcheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the syncref checkout (the repository root) the specs, litmus files and manifest are read
 * from: a folder holding {@code spec/models.txt}. In this order:
 *
 * <ol>
 *   <li>the system property {@code syncref.root} ({@code ./syncref} passes it, and the root pom
 *       hands it to every test JVM);
 *   <li>the environment variable {@code SYNCREF_ROOT} ({@code ./syncref} exports it);
 *   <li>the nearest folder holding spec/models.txt at or above the working directory.
 * </ol>
 *
 * An override that does not name a checkout (no spec/models.txt there) is passed over, so that a
 * test JVM started from a module folder still finds its checkout above.
 */
public final class Checkout {
  /** The system property naming the checkout. */
  public static final String PROPERTY = "syncref.root";
  /** The environment variable naming the checkout. */
  public static final String ENV = "SYNCREF_ROOT";
  /** The file that marks a checkout, relative to it. */
  public static final Path MARKER = Path.of("spec", "models.txt");

  private Checkout() {}

  /** The checkout, or a one-line BadInputException naming the working directory. */
  public static Path root() throws BadInputException {
    Path cwd = workingDirectory();
    return find(System.getProperty(PROPERTY), System.getenv(ENV), cwd).orElseThrow(() -> notFound(cwd));
  }

  /**
   * The checkout, for code that cannot throw BadInputException (the conformance harness's spec
   * loaders, run by tests): IllegalStateException with the same message otherwise.
   */
  public static Path require() {
    try {
      return root();
    } catch (BadInputException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  /** The folder spec/ of the checkout. */
  public static Path spec() throws BadInputException {
    return root().resolve("spec");
  }

  /** The lookup itself, on given override values (null or blank: unset) and a start folder. */
  static Optional<Path> find(String property, String env, Path start) {
    for (String override : new String[] {property, env}) {
      if (override != null && !override.isBlank() && isCheckout(Path.of(override))) {
        return Optional.of(Path.of(override).toAbsolutePath().normalize());
      }
    }
    for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (isCheckout(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code dir} holds spec/models.txt. */
  public static boolean isCheckout(Path dir) {
    return Files.isRegularFile(dir.resolve(MARKER));
  }

  static BadInputException notFound(Path cwd) {
    return new BadInputException(cwd + ":0: a syncref checkout (a folder with spec/models.txt) expected here or above"
        + " (or -D" + PROPERTY + "=DIR, or $" + ENV + ")");
  }

  private static Path workingDirectory() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath();
  }
}
