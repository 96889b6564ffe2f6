package io.vigil.benchmarks.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The harness's command line: {@code --rate} events/s for {@code --seconds} after a warm-up that
 * lasts until the pipeline has caught up, {@code --warmup} seconds at most, {@code --markers}
 * alert-raising events per second among them, a file with one marker written into the inbox every
 * {@code --inbox-every} seconds, {@code --bootstrap-servers} to run against a cluster instead of
 * the embedded broker, {@code --set key=value} passed to {@code vigil run} (e.g. {@code
 * streams.commit.interval=100ms}), {@code --jvm-arg} for its JVM.
 */
record LoadOptions(
    int rate,
    int seconds,
    int warmupSeconds,
    double markersPerSecond,
    int unitMillis,
    int drainSeconds,
    int inboxEverySeconds,
    Optional<String> bootstrapServers,
    List<String> sets,
    List<String> jvmArgs,
    Path vigilJar) {

  static final String USAGE =
      "usage: benchmarks/e2e [--rate EVENTS_PER_S] [--seconds S] [--warmup S] [--markers PER_S]"
          + " [--unit-ms MS] [--drain S] [--inbox-every S] [--bootstrap-servers HOST:PORT] [--set"
          + " KEY=VALUE]... [--jvm-arg ARG]... [--jar deploy/target/vigil.jar]";

  /** What {@code --help} prints: the usage, then what each option means and its default. */
  static final String HELP =
      USAGE
          + "\n"
          + """

          Starts `vigil run` on a temporary data dir, publishes CloudTrail through the ingest
          publisher at a fixed rate, and times each marker event from publication to its alert
          on vigil.alerts and at a local webhook, beside plain Kafka producer -> consumer. The
          last line of stdout is one JSON object.

            --rate EVENTS_PER_S        events published per second (5000)
            --seconds S                length of the measured part (60)
            --warmup S                 longest warm-up; it ends earlier once the pipeline has
                                       caught up (180)
            --markers PER_S            alert-raising events per second among them (5)
            --unit-ms MS               one object published every MS milliseconds (100)
            --drain S                  how long to wait for the last alerts after publishing (30)
            --inbox-every S            a file with one marker written into the inbox every S (5)
            --bootstrap-servers H:P    run against this Kafka instead of the embedded broker
            --set KEY=VALUE            a setting passed to vigil run, e.g.
                                       streams.commit.interval=100ms (repeatable)
            --jvm-arg ARG              an option for vigil run's JVM, e.g. -Xmx512m (repeatable)
            --jar PATH                 the vigil jar (deploy/target/vigil.jar)
          """;

  /** Whether the command line asks for {@link #HELP}. */
  static boolean asksForHelp(String[] args) {
    return List.of(args).contains("-h") || List.of(args).contains("--help");
  }

  static LoadOptions parse(String[] args) {
    int rate = 5000;
    int seconds = 60;
    int warmup = 180;
    double markers = 5;
    int unitMillis = 100;
    int drain = 30;
    int inboxEvery = 5;
    String bootstrap = null;
    List<String> sets = new ArrayList<>();
    List<String> jvmArgs = new ArrayList<>();
    Path jar = Path.of("deploy/target/vigil.jar");
    for (Map.Entry<String, String> option : OptionValues.pairs(args, USAGE)) {
      String flag = option.getKey();
      String value = option.getValue();
      switch (flag) {
        case "--rate" -> rate = OptionValues.positive(flag, value);
        case "--seconds" -> seconds = OptionValues.positive(flag, value);
        case "--warmup" -> warmup = OptionValues.nonNegative(flag, value);
        case "--markers" -> markers = OptionValues.number(flag, value);
        case "--unit-ms" -> unitMillis = OptionValues.positive(flag, value);
        case "--drain" -> drain = OptionValues.nonNegative(flag, value);
        case "--inbox-every" -> inboxEvery = OptionValues.positive(flag, value);
        case "--bootstrap-servers" -> bootstrap = value;
        case "--set" -> sets.add(value);
        case "--jvm-arg" -> jvmArgs.add(value);
        case "--jar" -> jar = Path.of(value);
        default -> throw OptionValues.unknown(flag, USAGE);
      }
    }
    if (!(markers > 0 && markers <= rate)) { // written so that NaN is refused too
      throw new IllegalArgumentException(
          "--markers must be above 0 and at most --rate (" + rate + "), not " + markers);
    }
    return new LoadOptions(
        rate,
        seconds,
        warmup,
        markers,
        unitMillis,
        drain,
        inboxEvery,
        Optional.ofNullable(bootstrap),
        List.copyOf(sets),
        List.copyOf(jvmArgs),
        jar);
  }
}
