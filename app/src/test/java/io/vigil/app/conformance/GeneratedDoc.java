package io.vigil.app.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A document under docs/ that a test generates: rewritten when {@code
 * -Dvigil.conformance.write=true} is given, and otherwise required to be what the test generates
 * now, so that the docs never lag behind the rules and results they describe.
 */
public final class GeneratedDoc {

  private GeneratedDoc() {}

  /** Writes {@code text} to {@code doc} when asked to, then asserts the file holds it. */
  public static void assertCurrent(Path doc, String text, Class<?> test) throws IOException {
    if (Boolean.getBoolean("vigil.conformance.write")) {
      Files.writeString(doc, text, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(doc, StandardCharsets.UTF_8))
        .as(
            "docs/"
                + doc.getFileName()
                + " is out of date: run ./mvnw -pl app test -Dtest="
                + test.getSimpleName()
                + " -Dvigil.conformance.write=true and commit it")
        .isEqualTo(text);
  }
}
