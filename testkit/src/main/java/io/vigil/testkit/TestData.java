package io.vigil.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the public test corpora committed in the repository's {@code testdata/} folder (real
 * CloudTrail recordings of attacks and of ordinary traffic, labelled peer tests, SigmaHQ rules;
 * what each one is, its licence and its source are in {@code testdata/README.md}).
 *
 * <p>Maven runs each module's tests with the module's directory as working directory, an IDE often
 * with the repository root: so the lookup walks up from the working directory to the first
 * directory that holds {@code testdata/README.md}. Nothing outside the repository is read, so a
 * plain clone tests itself. A missing folder or file fails the test with a message that names what
 * was looked for and from where.
 *
 * <pre>{@code
 * Path logs = TestData.path("stratus_red_team/docs/detonation-logs");
 * }</pre>
 */
public final class TestData {

  /** The file that marks the test data folder, relative to the repository root. */
  public static final String MARKER = "testdata/README.md";

  private static Path root;

  private TestData() {}

  /**
   * {@code testdata/<relative>}, which must exist (a file or a folder).
   *
   * @param relative a path inside {@code testdata/}, with {@code /} separators
   * @throws IllegalStateException when the test data folder or that path is missing
   */
  public static Path path(String relative) {
    Path path = root().resolve(relative).normalize();
    if (!path.startsWith(root())) {
      throw new IllegalArgumentException(relative + " is outside testdata/");
    }
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          "test data not found: "
              + path
              + " (testdata/"
              + relative
              + "); see "
              + root().resolve("README.md")
              + " for what the folder holds");
    }
    return path;
  }

  /**
   * The repository's {@code testdata/} folder: the first directory, from the working directory
   * upwards, that holds {@value #MARKER}.
   *
   * @throws IllegalStateException when no directory from the working directory up holds it
   */
  public static synchronized Path root() {
    if (root == null) {
      Path start = Path.of("").toAbsolutePath().normalize();
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve(MARKER))) {
          root = dir.resolve("testdata");
          return root;
        }
      }
      throw new IllegalStateException(
          "test data not found: no directory from "
              + start
              + " upwards holds "
              + MARKER
              + " (the repository's testdata/ folder; run the tests"
              + " inside a checkout of the repository)");
    }
    return root;
  }
}
