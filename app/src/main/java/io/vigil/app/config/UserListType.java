package io.vigil.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vigil.app.access.Role;
import io.vigil.app.access.User;
import io.vigil.app.access.Users;
import io.vigil.sinks.EnvReferences;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The type of {@code http.users}: the people who may use the API and the console, each {@code
 * {name, role, token}} or {@code {name, role, token_sha256}} (the hex SHA-256 of the token, so the
 * configuration need not hold it). A token may be {@code ${ENV_NAME}}. Every bad entry is reported
 * at once on its own line; tokens are never echoed, and the printed value lists names and roles
 * only.
 */
final class UserListType extends ConfigType<Users> {

  private static final String EXPECTED = "a list of {name, role, token} entries";
  private static final List<String> KEYS = List.of("name", "role", "token", "token_sha256");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  UserListType() {
    super("list of users");
  }

  @Override
  Users parse(RawValue raw) throws BadValueException {
    return parse(raw, ValueContext.outsideLoad("http.users"));
  }

  @Override
  Users parse(RawValue raw, ValueContext context) throws BadValueException {
    JsonNode tree = raw.tree();
    if (!tree.isArray()) {
      throw new BadValueException(EXPECTED, Structures.shapeOf(tree), false);
    }
    List<Integer> lines = new ArrayList<>();
    if (raw.shape() == RawValue.Shape.LIST) {
      raw.items().forEach(item -> lines.add(item.line()));
    }
    List<User> users = new ArrayList<>();
    List<BadValueException.Located> problems = new ArrayList<>();
    List<String> unresolved = new ArrayList<>();
    for (int i = 0; i < tree.size(); i++) {
      String where = context.key() + "[" + i + "]";
      Origin origin = context.originAt(i < lines.size() ? lines.get(i) : 0);
      List<String> bad = new ArrayList<>();
      List<String> unset = new ArrayList<>();
      Optional<User> user = user(tree.get(i), where, context, bad, unset);
      bad.forEach(text -> problems.add(new BadValueException.Located(text, origin)));
      if (bad.isEmpty()) {
        user.ifPresent(users::add);
        unset.forEach(text -> unresolved.add(Problems.line(text, origin)));
      }
    }
    if (problems.isEmpty()) {
      try {
        return Users.of(users, unresolved);
      } catch (IllegalArgumentException e) {
        problems.add(
            new BadValueException.Located(context.key() + ": " + e.getMessage(), context.origin()));
      }
    }
    throw BadValueException.located(problems);
  }

  private static Optional<User> user(
      JsonNode entry,
      String where,
      ValueContext context,
      List<String> problems,
      List<String> unset) {
    if (!entry.isObject()) {
      problems.add(where + ": expected {name, role, token}, got " + Structures.shapeOf(entry));
      return Optional.empty();
    }
    for (java.util.Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        problems.add(where + ": unknown key '" + key + "' (expected one of " + KEYS + ")");
      }
    }
    String name = text(entry, "name");
    if (name == null || !NAME.matcher(name).matches()) {
      problems.add(
          where
              + ": name: expected letters, digits and . _ @ + - (at most 64), got "
              + (name == null ? "none" : "'" + name + "'"));
    } else {
      where = where + " '" + name + "'";
    }
    String roleText = text(entry, "role");
    Optional<Role> role = roleText == null ? Optional.empty() : Role.parse(roleText);
    if (role.isEmpty()) {
      problems.add(
          where
              + ": role: expected one of "
              + Role.labels()
              + ", got "
              + (roleText == null ? "none" : "'" + roleText + "'"));
    }
    byte[] digest = digest(entry, where, context, problems, unset);
    if (!problems.isEmpty() || digest == null) {
      return Optional.empty();
    }
    return Optional.of(new User(name, role.get(), digest));
  }

  private static byte[] digest(
      JsonNode entry,
      String where,
      ValueContext context,
      List<String> problems,
      List<String> unset) {
    String token = text(entry, "token");
    String hashed = text(entry, "token_sha256");
    if ((token == null) == (hashed == null)) {
      problems.add(where + ": expected exactly one of token and token_sha256");
      return null;
    }
    if (hashed != null) {
      if (!SHA256_HEX.matcher(hashed).matches()) {
        problems.add(
            where
                + ": token_sha256: expected 64 hex digits (echo -n \"$TOKEN\" | sha256sum), got "
                + hashed.length()
                + " characters");
        return null;
      }
      return HexFormat.of().parseHex(hashed.toLowerCase(java.util.Locale.ROOT));
    }
    String finalWhere = where;
    String expanded =
        EnvReferences.expand(
            token,
            context.env(),
            (variable, value) -> {
              if (value == null) {
                unset.add(finalWhere + ": token: environment variable " + variable + " is not set");
              }
            });
    if (expanded == null) {
      return null;
    }
    // The token is never echoed, only what is wrong with it.
    if (expanded.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      problems.add(where + ": token: expected a token without spaces or control characters");
      return null;
    }
    if (expanded.length() < TOKEN_MIN_CHARS) {
      problems.add(
          where
              + ": token: expected "
              + TOKEN_EXPECTED
              + ", got a token of "
              + expanded.length()
              + " characters");
      return null;
    }
    return Users.sha256(expanded);
  }

  private static String text(JsonNode entry, String key) {
    JsonNode value = entry.get(key);
    return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
  }

  @Override
  public String format(Users value) {
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    for (User user : value.all()) {
      list.addObject()
          .put("name", user.name())
          .put("role", user.role().label())
          .put("token", Secrets.MASK);
    }
    return list.toString();
  }
}
