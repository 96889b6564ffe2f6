package io.vigil.benchmarks.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.Severity;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The console with many alerts, in a real browser: starts {@code vigil run} from the jar, publishes
 * {@code --alerts} alerts (default 10,000) to {@code vigil.alerts} as the detection would, waits
 * until the alert view holds them all, then runs {@code tools/console-browser/console-scale.mjs}
 * (Debian's Chromium through puppeteer-core), which times the first render beside fetching and
 * parsing the same alerts in the same page, a filter, a sort and a page turn. Its last line of
 * stdout is the script's JSON. Needs {@code npm ci} in {@code tools/console-browser}.
 */
public final class ConsoleAtScale {

  private static final String USAGE =
      "usage: benchmarks/console [--alerts N] [--runs N] [--jar deploy/target/vigil.jar]";
  private static final String HELP =
      USAGE
          + "\n"
          + """

          Starts `vigil run`, publishes alerts to vigil.alerts as the detection would, and
          times the console in a real browser (Debian's Chromium through puppeteer-core; run
          npm ci in tools/console-browser first): the first render beside fetching and parsing
          the same alerts, a filter, a sort and a page turn. The last line of stdout is one
          JSON object.

            --alerts N     alerts to fill the console with (10000)
            --runs N       times each measurement is repeated (5)
            --jar PATH     the vigil jar (deploy/target/vigil.jar)
          """;
  private static final List<String> RULES =
      List.of(
          "aws-root-account-usage",
          "aws-cloudtrail-logging-disabled",
          "aws-console-brute-force",
          "aws-iam-policy-change",
          "aws-s3-bucket-public",
          "aws-security-group-open-to-world",
          "vpc-port-scan",
          "vpc-data-exfiltration");
  private static final List<String> PEOPLE =
      List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy");

  private ConsoleAtScale() {}

  public static void main(String[] args) throws Exception {
    int alerts = 10_000;
    int runs = 5;
    String jar = "deploy/target/vigil.jar";
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(HELP);
      return;
    }
    try {
      for (Map.Entry<String, String> option : OptionValues.pairs(args, USAGE)) {
        String flag = option.getKey();
        String value = option.getValue();
        switch (flag) {
          case "--alerts" -> alerts = OptionValues.positive(flag, value);
          case "--runs" -> runs = OptionValues.positive(flag, value);
          case "--jar" -> jar = value;
          default -> throw OptionValues.unknown(flag, USAGE);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
    Path tool = Path.of("tools", "console-browser");
    if (!Files.isDirectory(tool.resolve("node_modules").resolve("puppeteer-core"))) {
      System.err.println("puppeteer-core is missing: (cd tools/console-browser && npm ci)");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("vigil-console-");
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    System.out.printf("data dir %s (vigil run's output in vigil.log)%n", dir);
    try (WebhookReceiver webhook = WebhookReceiver.start((id, at) -> {});
        VigilUnderTest vigil =
            VigilUnderTest.start(
                LoadOptions.parse(new String[] {"--jar", jar}), dir, webhook.url())) {
      publish(vigil.clientSettings(), topics.alerts(), alerts);
      awaitAlertView(vigil.httpUrl(), alerts);
      System.out.printf("the alert view holds %d alerts; timing the console%n", alerts);
      ProcessBuilder node =
          new ProcessBuilder("node", "console-scale.mjs").directory(tool.toFile()).inheritIO();
      node.environment()
          .putAll(
              Map.of(
                  "VIGIL_URL", vigil.httpUrl(),
                  "ALERTS", Integer.toString(alerts),
                  "RUNS", Integer.toString(runs)));
      int exit = node.start().waitFor();
      if (exit != 0) {
        System.err.println("console-scale.mjs exited with " + exit);
        System.exit(1);
      }
    }
  }

  /** Alerts as the detection publishes them: varied rules, severities, people and times. */
  private static void publish(Map<String, Object> client, Topic<String, Alert> topic, int count)
      throws Exception {
    Map<String, Object> props = new HashMap<>(client);
    props.put("acks", "all");
    props.put("linger.ms", 20);
    Random random = new Random(42);
    Severity[] severities = Severity.values();
    Instant now = Instant.now();
    try (KafkaProducer<String, Alert> producer =
        new KafkaProducer<>(
            props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      for (int i = 0; i < count; i++) {
        String rule = RULES.get(random.nextInt(RULES.size()));
        String person = PEOPLE.get(random.nextInt(PEOPLE.size()));
        String account = String.format("%012d", 111122223333L + random.nextInt(20));
        Instant last = now.minusSeconds(random.nextInt(86_400));
        Instant first = last.minusSeconds(random.nextInt(900));
        String dedupKey = rule + ":" + account + ":" + person + ":" + i;
        Alert alert =
            Alert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes(dedupKey.getBytes()).toString())
                .setRuleId(rule)
                .setTitle("Synthetic " + rule.replace('-', ' '))
                .setSeverity(severities[random.nextInt(severities.length)])
                .setAccountId(account)
                .setRegion("us-east-1")
                .setEntity(
                    "arn:aws:sts::"
                        + account
                        + ":assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/"
                        + person
                        + "@example.com")
                .setFirstSeen(first.toString())
                .setLastSeen(last.toString())
                .setCount(1 + random.nextInt(50))
                .setEventIds(List.of(UUID.randomUUID().toString()))
                .setCompliance(List.of("CIS-AWS 3.1", "PCI-DSS 10.2.1.6"))
                .setAttack(List.of("TA0005", "T1562.008"))
                .setDedupKey(dedupKey)
                .setDescription("A synthetic alert for timing the console.")
                .setEvidence(Map.of("eventName", "StopLogging", "sourceIPAddress", "203.0.113.7"))
                .setUpdate(0)
                .setRuleAuthor("Vigil")
                .setSource(AlertSource.cloudtrail)
                .build();
        producer.send(new ProducerRecord<>(topic.name(), dedupKey, alert));
      }
      producer.flush();
    }
  }

  private static void awaitAlertView(String url, int count) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    int held = 0;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/api/alerts?limit=" + count)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        held = json.readTree(response.body()).get("alerts").size();
        if (held >= count) {
          return;
        }
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the alert view holds " + held + " of " + count + " alerts");
  }
}
