package io.vigil.streams.sigma;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the public test corpus in the {@code shared} folder beside the project root (laid there
 * for developers and CI). A missing corpus fails the test: it exists wherever the tests run.
 */
final class SharedCorpus {

  private SharedCorpus() {}

  /** {@code shared/corpus/<relative>}, looked up from the working directory upwards. */
  static Path path(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared").resolve("corpus").resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    return fail("shared/corpus/" + relative + " not found beside the project root (from "
        + Path.of("").toAbsolutePath() + ")");
  }
}
