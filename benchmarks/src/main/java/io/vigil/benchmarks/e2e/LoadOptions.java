package io.vigil.benchmarks.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("-h") || flag.equals("--help")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      switch (flag) {
        case "--rate" -> rate = positive(flag, value);
        case "--seconds" -> seconds = positive(flag, value);
        case "--warmup" -> warmup = nonNegative(flag, value);
        case "--markers" -> markers = number(flag, value);
        case "--unit-ms" -> unitMillis = positive(flag, value);
        case "--drain" -> drain = nonNegative(flag, value);
        case "--inbox-every" -> inboxEvery = positive(flag, value);
        case "--bootstrap-servers" -> bootstrap = value;
        case "--set" -> sets.add(value);
        case "--jvm-arg" -> jvmArgs.add(value);
        case "--jar" -> jar = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
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

  private static int positive(String flag, String value) {
    int n = whole(flag, value);
    if (n <= 0) {
      throw new IllegalArgumentException(flag + " must be above 0, not " + value);
    }
    return n;
  }

  private static int nonNegative(String flag, String value) {
    int n = whole(flag, value);
    if (n < 0) {
      throw new IllegalArgumentException(flag + " must not be negative, not " + value);
    }
    return n;
  }

  private static int whole(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " takes a whole number, not '" + value + "'");
    }
  }

  private static double number(String flag, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " takes a number, not '" + value + "'");
    }
  }
}
