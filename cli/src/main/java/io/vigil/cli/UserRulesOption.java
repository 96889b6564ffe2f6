package io.vigil.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --rules DIR}: the user's own Sigma rules, for every command that loads the rules. */
final class UserRulesOption {

  @Option(
      names = "--rules",
      paramLabel = "DIR",
      description = "A directory or file of your own Sigma rules (repeatable).")
  List<Path> paths = new ArrayList<>();
}
