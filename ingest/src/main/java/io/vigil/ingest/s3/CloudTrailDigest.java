package io.vigil.ingest.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * What a CloudTrail digest file says (AWS's "CloudTrail digest file structure"): the account, the
 * hour it covers, and every log file delivered in that hour for its account and region. A digest of
 * an hour in which nothing was delivered lists no file.
 *
 * @param accountId {@code awsAccountId}
 * @param end {@code digestEndTime}
 * @param logFiles {@code logFiles[].s3Bucket} and {@code s3Object}
 */
public record CloudTrailDigest(String accountId, Instant end, List<S3ObjectRef> logFiles) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A digest file that is not one. */
  public static final class MalformedDigestException extends IOException {
    MalformedDigestException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public CloudTrailDigest {
    logFiles = List.copyOf(logFiles);
  }

  /**
   * Reads a digest file as delivered (gzip) or already unpacked.
   *
   * @throws MalformedDigestException when it is not JSON or lacks {@code digestEndTime} or a log
   *     file's bucket or key
   */
  public static CloudTrailDigest parse(byte[] content) throws MalformedDigestException {
    JsonNode root;
    try (InputStream in = unpacked(content)) {
      root = JSON.readTree(in);
    } catch (JsonProcessingException e) {
      throw new MalformedDigestException("digest is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new MalformedDigestException("digest could not be read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedDigestException("digest is not a JSON object", null);
    }
    Instant end;
    try {
      end = Instant.parse(root.path("digestEndTime").asText(""));
    } catch (DateTimeParseException e) {
      throw new MalformedDigestException("digest has no valid digestEndTime", e);
    }
    List<S3ObjectRef> files = new ArrayList<>();
    for (JsonNode file : root.path("logFiles")) {
      String bucket = file.path("s3Bucket").asText("");
      String key = file.path("s3Object").asText("");
      if (bucket.isEmpty() || key.isEmpty()) {
        throw new MalformedDigestException(
            "digest lists a log file without s3Bucket or s3Object: " + abbreviate(file), null);
      }
      files.add(new S3ObjectRef(bucket, key, null, -1));
    }
    return new CloudTrailDigest(
        Optional.ofNullable(root.get("awsAccountId")).map(JsonNode::asText).orElse(null),
        end,
        files);
  }

  private static InputStream unpacked(byte[] content) throws IOException {
    boolean gzip =
        content.length >= 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b;
    InputStream raw = new ByteArrayInputStream(content);
    return gzip ? new GZIPInputStream(raw) : raw;
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
