package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lookup of the checkout on folders made for the test: overrides, the walk up, nothing found. */
class CheckoutTest {
  private static Path checkout(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("spec"));
    Files.writeString(dir.resolve("spec/models.txt"), "# manifest\n");
    return dir;
  }

  @Test
  void the_nearest_checkout_at_or_above_the_start_folder(@TempDir Path tmp) throws Exception {
    Path outer = checkout(tmp.resolve("outer"));
    Path inner = checkout(outer.resolve("nested/inner"));
    Path deep = Files.createDirectories(inner.resolve("litmus/src/main"));
    assertEquals(Optional.of(inner), Checkout.find(null, null, deep));
    assertEquals(Optional.of(inner), Checkout.find(null, null, inner));
    assertEquals(Optional.of(outer), Checkout.find(null, null, outer.resolve("nested")));
  }

  @Test
  void the_property_comes_before_the_environment_and_the_walk(@TempDir Path tmp) throws Exception {
    Path a = checkout(tmp.resolve("a"));
    Path b = checkout(tmp.resolve("b"));
    Path c = checkout(tmp.resolve("c"));
    assertEquals(Optional.of(a), Checkout.find(a.toString(), b.toString(), c));
    assertEquals(Optional.of(b), Checkout.find(null, b.toString(), c));
    assertEquals(Optional.of(b), Checkout.find(" ", b.toString(), c));
    assertEquals(Optional.of(c), Checkout.find("", "", c));
  }

  @Test
  void an_override_that_is_no_checkout_is_passed_over(@TempDir Path tmp) throws Exception {
    Path real = checkout(tmp.resolve("real"));
    Path module = Files.createDirectories(real.resolve("model-check"));
    // the root pom passes ${maven.multiModuleProjectDirectory}, a module folder when Maven runs there
    assertEquals(Optional.of(real), Checkout.find(module.toString(), tmp.resolve("nothing").toString(), module));
  }

  @Test
  void no_checkout_is_one_line_naming_the_folder(@TempDir Path tmp) throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    // only if no folder above the temporary folder is a checkout (it never is on a sane machine)
    assertEquals(Optional.empty(), Checkout.find(null, null, empty));
    String m = Checkout.notFound(empty).getMessage();
    assertEquals(empty + ":0: a syncref checkout (a folder with spec/models.txt) expected here or above"
        + " (or -Dsyncref.root=DIR, or $SYNCREF_ROOT)", m);
    assertTrue(m.lines().count() == 1);
  }

  @Test
  void this_build_finds_its_own_checkout() throws Exception {
    Path root = Checkout.root();
    assertTrue(Files.isRegularFile(root.resolve("spec/models.txt")), root.toString());
    assertTrue(Files.isRegularFile(root.resolve("model-check/pom.xml")), root.toString());
    assertEquals(root.resolve("spec"), Checkout.spec());
    assertEquals(root, Checkout.require());
  }
}
