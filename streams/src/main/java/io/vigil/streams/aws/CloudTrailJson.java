package io.vigil.streams.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** How CloudTrail writes JSON that readers of its free-form parts must allow for. */
public final class CloudTrailJson {

  private CloudTrailJson() {}

  /**
   * The elements of an array, or the node itself when CloudTrail (or the IAM policy grammar) wrote
   * a single element bare; empty for a missing or null node.
   */
  public static List<JsonNode> items(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (node == null || node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      node.forEach(out::add);
    } else {
      out.add(node);
    }
    return out;
  }
}
