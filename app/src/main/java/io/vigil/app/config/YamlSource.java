package io.vigil.app.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the YAML config file into flat, dotted settings, each with its line number.
 *
 * <p>Nested maps and dotted names may be mixed ({@code kafka: {bootstrap.servers: x}} is {@code
 * kafka.bootstrap.servers: x}). Flattening stops at a known key, so that a key whose value is a map
 * (a structured key such as {@code accounts.names}, or a mistake) reaches its type whole.
 * SnakeYAML's compose API is used rather than Jackson because only it keeps line numbers for every
 * key.
 */
final class YamlSource {

  private final Path file;
  private final KeyIndex index;
  private final Problems problems;
  private final List<Setting> settings = new ArrayList<>();
  private final Map<String, Integer> lineOfName = new HashMap<>();

  private YamlSource(Path file, KeyIndex index, Problems problems) {
    this.file = file;
    this.index = index;
    this.problems = problems;
  }

  /** The file's settings in file order; problems are added to {@code problems}, never thrown. */
  static List<Setting> read(Path file, KeyIndex index, Problems problems) {
    YamlSource source = new YamlSource(file, index, problems);
    source.read();
    return source.settings;
  }

  private void read() {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      problems.add("config file " + file + ": not found");
      return;
    } catch (CharacterCodingException e) {
      problems.add("config file " + file + ": not valid UTF-8");
      return;
    } catch (IOException e) {
      problems.add("config file " + file + ": cannot be read (" + e + ")");
      return;
    }
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      problems.add(file + ":" + line + ": malformed YAML: " + e.getProblem());
      return;
    } catch (YAMLException e) {
      problems.add(file + ": malformed YAML: " + e.getMessage());
      return;
    }
    if (root == null) {
      return; // an empty or all-comment file sets nothing
    }
    if (!(root instanceof MappingNode mapping)) {
      problems.add(file + ":" + line(root) + ": the top level must be a map of settings");
      return;
    }
    flatten("", mapping);
  }

  private void flatten(String prefix, MappingNode mapping) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        problems.add(file + ":" + line(tuple.getKeyNode()) + ": setting names must be plain text");
        continue;
      }
      String name = prefix.isEmpty() ? keyNode.getValue() : prefix + "." + keyNode.getValue();
      Node value = tuple.getValueNode();
      boolean known = index.match(name) instanceof KeyIndex.Known;
      if (value instanceof MappingNode nested && !known) {
        flatten(name, nested);
      } else {
        add(name, new YamlValue(value), line(keyNode));
      }
    }
  }

  private void add(String name, YamlValue value, int line) {
    Integer earlier = lineOfName.putIfAbsent(name, line);
    Origin origin = Origin.file(file, line);
    if (earlier != null) {
      // Nested and dotted forms make this easy to do by accident; "last wins" would hide it.
      problems.add(name, "set twice in the file (first on line " + earlier + ")", origin);
      return;
    }
    if (value.shape() == RawValue.Shape.NULL && isSectionName(name)) {
      return; // "kafka:" with every entry commented out is a section left empty, not an unknown key
    }
    settings.add(new Setting(name, value, origin));
  }

  private boolean isSectionName(String name) {
    String section = name + ".";
    return index.keys().stream().anyMatch(key -> key.name().startsWith(section))
        || index.openNamespaces().contains(section);
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
  }
}
