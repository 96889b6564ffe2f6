package io.vigil.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Generated CloudTrail logs of an ordinary organization going about its days, with no attack in
 * them: the background traffic on which a rule's noise is measured. Deterministic (one seed, the
 * same files every time), fast (a day of ~20,000 to 35,000 events in about a second), and written
 * as CloudTrail delivers them: {@code {"Records":[...]}} objects, one per account every 5 minutes,
 * under {@code DIR/yyyy-MM-dd/HHmmZ/ACCOUNT_CloudTrail_us-east-1_yyyyMMddTHHmmZ_ID.json} (the
 * folders make a sorted walk read the files in time order, as {@code vigil scan DIR} does).
 *
 * <p>The organization: accounts {@value #PROD} (prod) and {@value #BACKUP} (backup). The event
 * shapes follow what CloudTrail writes (the real recordings in {@code testdata/} and AWS's
 * documented examples): role sessions with {@code sessionContext.sessionIssuer}, instance
 * credentials with {@code ec2RoleDelivery}, calls AWS services make on a principal's behalf with
 * {@code invokedBy}, S3 data events, {@code AwsConsoleSignIn} events.
 *
 * <ul>
 *   <li>30 people sign in to the prod console through IAM Identity Center (permission sets
 *       AdministratorAccess, PowerUserAccess, ReadOnlyAccess; {@code AssumeRoleWithSAML}, {@code
 *       GetSigninToken}, {@code ConsoleLogin}) from the office or from home on working days, and
 *       read (Describe*, List*, Get*); some use the CLI; developers open a few secrets and SSM
 *       sessions on instances. The six of the infrastructure team also sign in to the backup
 *       account, which is kept out of Identity Center, as IAM users with MFA: a mistyped password
 *       now and then (a failed {@code ConsoleLogin}, then a success).
 *   <li>A CI/CD role (GitHub Actions through OIDC) deploys several times a working day: Lambda code
 *       ({@code UpdateFunctionCode}, versions, aliases), ECS services (image push, task definition,
 *       service update, the new tasks starting), sometimes a CloudFormation stack, which once in a
 *       while changes a function role's inline policy.
 *   <li>An infrastructure pipeline changes a security group on some Tuesdays and Fridays; the
 *       network team's weekly change window (Thursdays) adds a route to a newly peered VPC.
 *   <li>Twelve EC2 instances (ten web, two batch) and a monitoring instance with instance-profile
 *       credentials: the SSM agent every 5 minutes, each application reading its own secrets and
 *       SSM parameters with decryption every hour, S3 uploads, nightly batch jobs, Prometheus's EC2
 *       discovery.
 *   <li>Lambda functions: cold starts with their secrets and parameters, invoices written with
 *       SSE-KMS, thumbnails, a nightly report; ECS tasks pulling images and their secrets.
 *   <li>Nightly EBS snapshots shared with the backup account ({@code ModifySnapshotAttribute} to
 *       {@value #BACKUP}) and copied there; nightly patching through SSM {@code SendCommand} at
 *       03:00 by an ops role; AWS Config's recorder.
 *   <li>A legacy partner integration: an IAM user's access key, from one fixed address.
 *   <li>A few denied calls a day.
 * </ul>
 *
 * <p>Write the days to a folder and scan them:
 *
 * <pre>{@code
 * java -cp testkit/target/classes io.vigil.testkit.OrdinaryDays /tmp/ordinary 8
 * java -jar deploy/target/vigil.jar scan /tmp/ordinary
 * }</pre>
 */
public final class OrdinaryDays {

  /** The production account. */
  public static final String PROD = "111122223333";

  /** The backup account, which receives the nightly snapshots. */
  public static final String BACKUP = "444455556666";

  /** The first day written by default: a Monday. */
  public static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 16);

  /** The default seed. */
  public static final long SEED = 11L;

  /** The region every regional call is made in. */
  public static final String REGION = "us-east-1";

  /** The address of the office's internet connection. */
  public static final String OFFICE_IP = "198.51.100.10";

  /** The only address the legacy partner integration calls from. */
  public static final String PARTNER_IP = "203.0.113.45";

  /** The notable kinds of event {@link Day#notable} counts. */
  public static final List<String> NOTABLE =
      List.of(
          "console sign-ins",
          "failed console sign-ins",
          "denied calls",
          "secret values read (GetSecretValue)",
          "SSM parameters read with decryption",
          "KMS Decrypt and GenerateDataKey",
          "S3 data events",
          "Lambda code updates",
          "SSM SendCommand",
          "SSM StartSession",
          "EBS snapshots shared with the backup account",
          "security group changes",
          "route table changes",
          "IAM policy changes",
          "partner IAM user key calls");

  /**
   * One generated day.
   *
   * @param date the day (UTC)
   * @param events the events written for it
   * @param byActivity events by who made them, in a fixed order
   * @param notable events of the kinds in {@link #NOTABLE}
   */
  public record Day(
      LocalDate date, int events, Map<String, Integer> byActivity, Map<String, Integer> notable) {}

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter FOLDER =
      DateTimeFormatter.ofPattern("HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter EXPIRATION =
      DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

  private OrdinaryDays() {}

  /**
   * Writes {@code days} consecutive days from {@code first} under {@code dir}.
   *
   * @return what each day holds
   */
  public static List<Day> write(Path dir, LocalDate first, int days, long seed) throws IOException {
    Organization org = new Organization(seed);
    List<Day> written = new ArrayList<>();
    // What a day's sessions do after midnight is written with the next day; after the last day,
    // the logs end.
    List<Ev> carried = new ArrayList<>();
    for (int i = 0; i < days; i++) {
      LocalDate date = first.plusDays(i);
      DayLog log = org.day(date, new Random(seed * 1_000_003L + i));
      List<Ev> events = new ArrayList<>(carried);
      events.addAll(log.events);
      events.sort(Comparator.comparingLong(Ev::time));
      long end = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
      List<Ev> today = new ArrayList<>();
      carried = new ArrayList<>();
      for (Ev ev : events) {
        (ev.time() < end ? today : carried).add(ev);
      }
      log.write(dir, date, today);
      Map<String, Integer> byActivity = new LinkedHashMap<>();
      log.byActivity.keySet().forEach(activity -> byActivity.put(activity, 0));
      today.forEach(ev -> byActivity.merge(ev.activity(), 1, Integer::sum));
      written.add(
          new Day(
              date,
              today.size(),
              Collections.unmodifiableMap(byActivity),
              Collections.unmodifiableMap(log.notable)));
    }
    return written;
  }

  /**
   * {@code OrdinaryDays DIR [DAYS] [FIRST-DAY] [SEED]}: writes the days (8 from 2026-11-16 with
   * seed 11 by default) and prints the events of each.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 4) {
      System.err.println("usage: OrdinaryDays DIR [DAYS] [FIRST-DAY yyyy-mm-dd] [SEED]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    LocalDate first = args.length > 2 ? LocalDate.parse(args[2]) : FIRST_DAY;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : SEED;
    long total = 0;
    for (Day day : write(dir, first, days, seed)) {
      System.out.println(day.date() + " " + day.date().getDayOfWeek() + ": " + day.events());
      day.notable().forEach((kind, n) -> System.out.println("  " + kind + ": " + n));
      total += day.events();
    }
    System.out.println(total + " events written under " + dir);
  }

  // ----------------------------------------------------------------------------------------
  // The organization: who exists, fixed from the seed.

  private record Role(String account, String name, String path, String id) {
    String arn() {
      return "arn:aws:iam::" + account + ":role" + path + name;
    }

    String sessionArn(String session) {
      return "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + session;
    }
  }

  private record IamUser(String account, String name, String id, String key) {
    String arn() {
      return "arn:aws:iam::" + account + ":user/" + name;
    }
  }

  private record Person(
      String email, Role role, String homeIp, String browser, boolean cli, IamUser backupUser) {}

  private record Instance(
      String id, String privateIp, String natIp, Role role, String kind, String volume) {}

  private record Fn(
      String name, Role role, List<String> secrets, List<String> params, int busyColdStarts) {}

  private record Service(
      String name,
      String repo,
      int tasks,
      Role taskRole,
      List<String> secrets,
      List<String> params) {}

  private record LambdaApp(String repo, List<Fn> functions) {}

  private static final String[] BROWSERS = {
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        + " Version/18.0 Safari/605.1.15"
  };
  private static final String[] FIRST_NAMES = {
    "ana", "ben", "carla", "david", "eva", "felix", "gita", "hugo", "ines", "jonas", "kira", "liam",
    "maja", "noah", "olga", "paul", "quinn", "rosa", "sven", "tara", "umar", "vera", "wim", "xenia",
    "yusuf", "zoe", "arto", "bea", "cem", "dora"
  };
  private static final String[] SURNAMES = {
    "meier",
    "novak",
    "santos",
    "kowalski",
    "jansen",
    "rossi",
    "berg",
    "lindqvist",
    "dubois",
    "horvat",
    "silva",
    "weber",
    "moreau",
    "nagy",
    "costa",
    "fischer",
    "larsen",
    "popescu",
    "ortiz",
    "keller",
    "bauer",
    "vos",
    "lund",
    "petrov",
    "aydin",
    "kaya",
    "mills",
    "ward",
    "hart",
    "blom"
  };
  // AWS addresses: IAM Identity Center's portal, Lambda, the NAT gateways of the prod VPC.
  private static final String[] IDC_IPS = {"44.211.80.17", "3.230.64.142", "52.86.202.9"};
  private static final String[] NAT_IPS = {"52.4.117.20", "52.4.117.21"};
  private static final String GITHUB_OIDC = "token.actions.githubusercontent.com";
  private static final String SSO_PATH = "/aws-reserved/sso.amazonaws.com/";
  private static final String CONSOLE_LOGIN_TO =
      "https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1&isauthcode=true";

  private static final class Organization {
    final Random fixed;
    final Role admin;
    final Role power;
    final Role readOnly;
    final Role deploy;
    final Role infra;
    final Role config;
    final Role configBackup;
    final Role execution;
    final Role opsPatching;
    final Role snapshotter;
    final Role copier;
    final List<Person> people = new ArrayList<>();
    final List<Instance> instances = new ArrayList<>();
    final Instance monitoring;
    final List<LambdaApp> lambdaApps = new ArrayList<>();
    final List<Fn> functions = new ArrayList<>();
    final Fn invoices;
    final Fn thumbnails;
    final Fn reports;
    final Fn snapshotFn;
    final Fn patchFn;
    final Fn copierFn;
    final List<Service> services = new ArrayList<>();
    final Map<String, List<String>> runningTasks = new LinkedHashMap<>();
    final IamUser partner;
    final String kmsKey;
    final String backupKmsKey;
    final String sgDatabase;
    final String sgWeb;
    final String routeTable;
    final String tgw;
    final Map<String, String> secretArns = new LinkedHashMap<>();
    final List<String> oldSnapshots = new ArrayList<>();
    final List<String> oldCopies = new ArrayList<>();
    // Maps written many times (identities, TLS details, the SSM agent's report), by identity, with
    // their JSON once written.
    final Map<Object, String> frozen = new IdentityHashMap<>();
    final Map<String, Map<String, Object>> tls = new LinkedHashMap<>();

    Organization(long seed) {
      fixed = new Random(seed);
      admin = role(PROD, "AWSReservedSSO_AdministratorAccess_" + hex(fixed, 16), SSO_PATH);
      power = role(PROD, "AWSReservedSSO_PowerUserAccess_" + hex(fixed, 16), SSO_PATH);
      readOnly = role(PROD, "AWSReservedSSO_ReadOnlyAccess_" + hex(fixed, 16), SSO_PATH);
      deploy = role(PROD, "github-deploy", "/");
      infra = role(PROD, "github-infrastructure", "/");
      config = role(PROD, "AWSServiceRoleForConfig", "/aws-service-role/config.amazonaws.com/");
      configBackup =
          role(BACKUP, "AWSServiceRoleForConfig", "/aws-service-role/config.amazonaws.com/");
      execution = role(PROD, "ecsTaskExecutionRole", "/");
      opsPatching = role(PROD, "ops-patching", "/");
      snapshotter = role(PROD, "ebs-nightly-backup", "/service-role/");
      copier = role(BACKUP, "backup-snapshot-copier", "/service-role/");
      kmsKey = "arn:aws:kms:" + REGION + ":" + PROD + ":key/" + uuid(fixed);
      backupKmsKey = "arn:aws:kms:" + REGION + ":" + BACKUP + ":key/" + uuid(fixed);
      sgDatabase = "sg-0" + hex(fixed, 16);
      sgWeb = "sg-0" + hex(fixed, 16);
      routeTable = "rtb-0" + hex(fixed, 16);
      tgw = "tgw-0" + hex(fixed, 16);
      partner =
          new IamUser(PROD, "partner-sync", "AIDA" + upper(fixed, 17), "AKIA" + upper(fixed, 16));

      for (int i = 0; i < 30; i++) {
        Role r = i < 3 ? admin : i < 21 ? power : readOnly;
        String email = FIRST_NAMES[i] + "." + SURNAMES[i] + "@example.com";
        boolean infraTeam = i < 6;
        IamUser backupUser =
            infraTeam
                ? new IamUser(
                    BACKUP, FIRST_NAMES[i] + "." + SURNAMES[i], "AIDA" + upper(fixed, 17), null)
                : null;
        people.add(
            new Person(
                email,
                r,
                "192.0.2." + (20 + i),
                BROWSERS[fixed.nextInt(BROWSERS.length)],
                r != readOnly && fixed.nextInt(3) == 0,
                backupUser));
      }

      Role web = role(PROD, "web-app", "/");
      Role batch = role(PROD, "batch-jobs", "/");
      Role prometheus = role(PROD, "monitoring", "/");
      for (int i = 0; i < 12; i++) {
        int az = i % 2;
        instances.add(
            new Instance(
                "i-0" + hex(fixed, 16),
                "10.0." + (az * 16 + 1) + "." + (20 + fixed.nextInt(200)),
                NAT_IPS[az],
                i < 10 ? web : batch,
                i < 10 ? "web" : "batch",
                "vol-0" + hex(fixed, 16)));
      }
      monitoring =
          new Instance(
              "i-0" + hex(fixed, 16),
              "10.0.1." + (20 + fixed.nextInt(200)),
              NAT_IPS[0],
              prometheus,
              "monitoring",
              "vol-0" + hex(fixed, 16));

      Fn ordersApi =
          fn("orders-api", List.of("prod/orders/db"), List.of("/prod/orders/api-key"), 6);
      Fn ordersWorker =
          fn("orders-worker", List.of("prod/orders/db"), List.of("/prod/orders/queue-token"), 3);
      invoices = fn("invoice-generator", List.of("prod/invoices/smtp"), List.of(), 3);
      thumbnails = fn("image-resizer", List.of(), List.of(), 4);
      reports = fn("report-builder", List.of("prod/reports/db-readonly"), List.of(), 0);
      Fn webhooks =
          fn(
              "webhook-dispatcher",
              List.of("prod/webhooks/signing-key"),
              List.of("/prod/webhooks/partner-token"),
              3);
      lambdaApps.add(new LambdaApp("acme/orders", List.of(ordersApi, ordersWorker)));
      lambdaApps.add(new LambdaApp("acme/invoicing", List.of(invoices)));
      lambdaApps.add(new LambdaApp("acme/media", List.of(thumbnails)));
      lambdaApps.add(new LambdaApp("acme/reporting", List.of(reports)));
      lambdaApps.add(new LambdaApp("acme/webhooks", List.of(webhooks)));
      functions.addAll(List.of(ordersApi, ordersWorker, invoices, thumbnails, webhooks));
      snapshotFn = new Fn("ebs-nightly-backup", snapshotter, List.of(), List.of(), 0);
      patchFn = new Fn("nightly-patching", opsPatching, List.of(), List.of(), 0);
      copierFn = new Fn("backup-snapshot-copier", copier, List.of(), List.of(), 0);

      services.add(
          service(
              "checkout",
              3,
              List.of("prod/checkout/db", "prod/checkout/payment-api"),
              List.of("/prod/checkout/signing-salt")));
      services.add(service("catalog", 2, List.of("prod/catalog/db"), List.of()));
      services.add(
          service(
              "notifications",
              2,
              List.of("prod/notifications/smtp"),
              List.of("/prod/notifications/sms-token")));
      services.add(service("search", 2, List.of("prod/search/opensearch"), List.of()));
      for (Service s : services) {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < s.tasks(); i++) {
          tasks.add(hex(fixed, 32));
        }
        runningTasks.put(s.name(), tasks);
      }
      for (String name :
          List.of(
              "prod/web/db",
              "prod/web/session-key",
              "prod/batch/db",
              "prod/orders/db",
              "prod/invoices/smtp",
              "prod/reports/db-readonly",
              "prod/webhooks/signing-key",
              "prod/checkout/db",
              "prod/checkout/payment-api",
              "prod/catalog/db",
              "prod/notifications/smtp",
              "prod/search/opensearch")) {
        secretArns.put(
            name,
            "arn:aws:secretsmanager:" + REGION + ":" + PROD + ":secret:" + name + "-" + alnum(6));
      }
      for (int i = 0; i < instances.size() + 1; i++) {
        oldSnapshots.add("snap-0" + hex(fixed, 16));
        oldCopies.add("snap-0" + hex(fixed, 16));
      }
    }

    private Role role(String account, String name, String path) {
      return new Role(account, name, path, "AROA" + upper(fixed, 17));
    }

    private Fn fn(String name, List<String> secrets, List<String> params, int busyColdStarts) {
      return new Fn(name, role(PROD, name + "-role", "/"), secrets, params, busyColdStarts);
    }

    private Service service(String name, int tasks, List<String> secrets, List<String> params) {
      return new Service(
          name, "acme/" + name, tasks, role(PROD, name + "-task", "/"), secrets, params);
    }

    private String alnum(int n) {
      StringBuilder b = new StringBuilder();
      String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      for (int i = 0; i < n; i++) {
        b.append(chars.charAt(fixed.nextInt(chars.length())));
      }
      return b.toString();
    }

    DayLog day(LocalDate date, Random random) {
      DayLog log = new DayLog(this, date, random);
      log.generate();
      return log;
    }
  }

  // ----------------------------------------------------------------------------------------
  // One day's events.

  private record Ev(long time, String account, String activity, Map<String, Object> body) {}

  /** A principal's credentials: the userIdentity of its calls, and variants made through AWS. */
  private static final class Session {
    final Map<String, Object> identity;
    final String account;
    private final Map<Object, String> frozen;
    private final Map<String, Map<String, Object>> through = new LinkedHashMap<>();

    Session(Map<Object, String> frozen, Map<String, Object> identity, String account) {
      this.frozen = frozen;
      this.identity = identity;
      this.account = account;
      frozen.put(identity, null);
    }

    /** The identity as it appears when {@code service} calls on this principal's behalf. */
    Map<String, Object> via(String service) {
      return through.computeIfAbsent(
          service,
          s -> {
            Map<String, Object> copy = new LinkedHashMap<>(identity);
            copy.put("invokedBy", s);
            frozen.put(copy, null);
            return copy;
          });
    }

    String arn() {
      return (String) identity.get("arn");
    }
  }

  private record Console(Person person, Session session, String ip, long start, long end) {}

  private static final class DayLog {
    final Organization org;
    final Random rnd;
    final long d0;
    final boolean workday;
    final String ymd;
    final LocalDate date;
    final List<Ev> events = new ArrayList<>();
    final Map<String, Integer> byActivity = new LinkedHashMap<>();
    final Map<String, Integer> notable = new LinkedHashMap<>();
    final List<Console> consoles = new ArrayList<>();
    final List<Long> uploads = new ArrayList<>();
    String activity;

    DayLog(Organization org, LocalDate date, Random rnd) {
      this.org = org;
      this.rnd = rnd;
      this.d0 = date.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
      DayOfWeek dow = date.getDayOfWeek();
      this.workday = dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
      this.ymd = date.toString().replace('-', '/');
      this.date = date;
      NOTABLE.forEach(k -> notable.put(k, 0));
    }

    void generate() {
      activity = "people: console and CLI through Identity Center, reads";
      people();
      activity = "people: backup account sign-ins as IAM users";
      backupSignIns();
      activity = "people: denied calls";
      deniedCalls();
      activity = "CI/CD: GitHub Actions deploys (Lambda, ECS, CloudFormation)";
      deploys();
      activity = "infrastructure pipeline: security group and route changes";
      infrastructure();
      activity = "EC2 instances: SSM agent, instance credentials, app secrets, S3, batch";
      instances();
      activity = "monitoring instance: Prometheus EC2 discovery, CloudWatch";
      monitoring();
      activity = "Lambda functions: cold starts, secrets, invoices (SSE-KMS), thumbnails, reports";
      lambdas();
      activity = "ECS tasks: replacements, image pulls, secrets, S3 reads";
      ecs();
      activity = "nightly EBS snapshots, shared with and copied to the backup account";
      snapshots();
      activity = "nightly patching: SSM SendCommand by the ops role";
      patching();
      activity = "legacy partner integration: IAM user access key";
      partner();
      activity = "AWS Config recorder";
      config();
    }

    // --- people ---------------------------------------------------------------------------

    void people() {
      for (Person p : org.people) {
        double chance = workday ? (p.role() == org.readOnly ? 0.6 : 0.85) : 0.04;
        if (rnd.nextDouble() >= chance) {
          continue;
        }
        String ip = workday && rnd.nextDouble() < 0.6 ? OFFICE_IP : p.homeIp();
        long t = d0 + 7 * 3600 + rnd.nextInt(150 * 60);
        consoleSession(p, t, ip, pages(p));
        if (workday && rnd.nextDouble() < 0.3) {
          consoleSession(p, d0 + 12 * 3600 + rnd.nextInt(90 * 60), ip, pages(p) / 2 + 1);
        }
        if (p.cli() && workday && rnd.nextDouble() < 0.5) {
          cliSession(p, d0 + 8 * 3600 + rnd.nextInt(8 * 3600), ip);
        }
      }
    }

    int pages(Person p) {
      if (p.role() == org.readOnly) {
        return 4 + rnd.nextInt(18);
      }
      return 8 + rnd.nextInt(45);
    }

    Session ssoSignIn(Person p, long t, boolean console) {
      String akid = "ASIA" + upper(rnd, 16);
      Role r = p.role();
      String idcIp = IDC_IPS[rnd.nextInt(IDC_IPS.length)];
      Map<String, Object> saml =
          o(
              "type",
              "SAMLUser",
              "principalId",
              "Zk1QbmR3cXR1V2x0eFdSZz0=:" + p.email(),
              "userName",
              p.email(),
              "identityProvider",
              "Zk1QbmR3cXR1V2x0eFdSZz0=");
      String samlProvider =
          "arn:aws:iam::" + PROD + ":saml-provider/AWSSSO_5b1e2f0a7c9d4e31_DO_NOT_DELETE";
      Map<String, Object> e =
          call(
              t,
              saml,
              PROD,
              "sts.amazonaws.com",
              "AssumeRoleWithSAML",
              idcIp,
              "aws-sdk-java/2.29.6 md/io#sync md/http#Apache ua/2.1 api/STS#2.29.x"
                  + " os/Linux#5.10.227-219.884.amzn2.x86_64 lang/java#17.0.13 m/E,N",
              o(
                  "sAMLAssertionID",
                  "_" + uuid(rnd),
                  "roleSessionName",
                  p.email(),
                  "roleArn",
                  r.arn(),
                  "principalArn",
                  samlProvider,
                  "durationSeconds",
                  43200),
              o(
                  "credentials",
                  credentials(akid, t + 43200),
                  "assumedRoleUser",
                  o("assumedRoleId", r.id() + ":" + p.email(), "arn", r.sessionArn(p.email())),
                  "subject",
                  p.email(),
                  "subjectType",
                  "persistent",
                  "issuer",
                  "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/"
                      + "MTExMTIyMjIzMzMzX2lucy0yNGMxZjBhYjVlOGQ5YjA3",
                  "audience",
                  "https://signin.aws.amazon.com/saml",
                  "nameQualifier",
                  "Zk1QbmR3cXR1V2x0eFdSZz0="),
              true);
      e.put(
          "resources",
          List.of(
              o("accountId", PROD, "type", "AWS::IAM::Role", "ARN", r.arn()),
              o("accountId", PROD, "type", "AWS::IAM::SAMLProvider", "ARN", samlProvider)));
      Session s = new Session(org.frozen, assumed(r, p.email(), akid, t, false, false), PROD);
      if (console) {
        Map<String, Object> token =
            call(
                t + 1,
                s.identity,
                PROD,
                "signin.amazonaws.com",
                "GetSigninToken",
                idcIp,
                "Jersey/${project.version}",
                null,
                o("GetSigninToken", "Success"),
                false);
        token.put("eventType", "AwsConsoleSignIn");
      }
      return s;
    }

    void consoleSession(Person p, long t, String ip, int pages) {
      Session s = ssoSignIn(p, t, true);
      Map<String, Object> login =
          call(
              t + 2 + rnd.nextInt(3),
              s.identity,
              PROD,
              "signin.amazonaws.com",
              "ConsoleLogin",
              ip,
              p.browser(),
              null,
              o("ConsoleLogin", "Success"),
              false);
      login.put(
          "additionalEventData",
          o("LoginTo", CONSOLE_LOGIN_TO, "MobileVersion", "No", "MFAUsed", "No"));
      login.put("eventType", "AwsConsoleSignIn");
      count("console sign-ins");
      long now = t + 8;
      for (int i = 0; i < pages; i++) {
        now += 10 + rnd.nextInt(rnd.nextInt(4) == 0 ? 900 : 240);
        consolePage(p, s, ip, now);
        if (p.role() == org.power && rnd.nextDouble() < 0.012) {
          ssmSession(s, ip, p.browser(), now + 5);
        }
        if (p.role() == org.power && rnd.nextDouble() < 0.006) {
          String secret = pick(new ArrayList<>(org.secretArns.keySet()));
          secretRead(s, now + 3, ip, p.browser(), secret, true);
        }
      }
      consoles.add(new Console(p, s, ip, t, now));
    }

    void ssmSession(Session s, String ip, String ua, long t) {
      Instance target = pick(org.instances);
      String sessionId =
          ((String) s.identity.get("arn")).replaceAll(".*/", "") + "-" + hex(rnd, 17);
      Map<String, Object> e =
          call(
              t,
              s.identity,
              PROD,
              "ssm.amazonaws.com",
              "StartSession",
              ip,
              ua,
              o("target", target.id()),
              o(
                  "sessionId",
                  sessionId,
                  "tokenValue",
                  "Value hidden due to security reasons.",
                  "streamUrl",
                  "wss://ssmmessages."
                      + REGION
                      + ".amazonaws.com/v1/data-channel/"
                      + sessionId
                      + "?role=publish_subscribe&cell-number="
                      + upper(rnd, 40)),
              false);
      e.put("sessionCredentialFromConsole", "true");
      count("SSM StartSession");
      Map<String, Object> end =
          call(
              t + 300 + rnd.nextInt(2400),
              s.identity,
              PROD,
              "ssm.amazonaws.com",
              "TerminateSession",
              ip,
              ua,
              o("sessionId", sessionId),
              o("sessionId", sessionId),
              false);
      end.put("sessionCredentialFromConsole", "true");
    }

    static final String[][] READ_ONLY_PAGES = {
      {"ec2", "DescribeInstances", "DescribeInstanceStatus", "DescribeTags", "DescribeVolumes"},
      {"ec2", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "DescribeRouteTables"},
      {"s3", "ListBuckets", "GetBucketLocation", "GetBucketPolicyStatus", "GetBucketAcl"},
      {"monitoring", "DescribeAlarms", "GetMetricData", "ListDashboards", "GetDashboard"},
      {"logs", "DescribeLogGroups", "DescribeLogStreams", "DescribeMetricFilters"},
      {"ce", "GetCostAndUsage", "GetCostForecast", "GetDimensionValues"},
      {"health", "DescribeEventAggregates", "DescribeEvents"},
      {"cloudtrail", "LookupEvents", "DescribeTrails", "GetTrailStatus"},
      {"rds", "DescribeDBInstances", "DescribeDBClusters", "DescribeEvents"},
      {"iam", "ListRoles", "GetRole", "ListAttachedRolePolicies", "GetAccountSummary"}
    };
    static final String[][] BUILDER_PAGES = {
      {"ec2", "DescribeInstances", "DescribeInstanceStatus", "DescribeTags", "DescribeVolumes"},
      {"ec2", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "DescribeRouteTables"},
      {
        "lambda",
        "ListFunctions20150331",
        "GetFunction20150331v2",
        "ListAliases20150331",
        "GetPolicy20150331v2"
      },
      {
        "ecs",
        "ListClusters",
        "DescribeClusters",
        "ListServices",
        "DescribeServices",
        "DescribeTaskDefinition"
      },
      {"ecs", "ListTasks", "DescribeTasks", "DescribeServices"},
      {"logs", "DescribeLogGroups", "DescribeLogStreams", "StartQuery", "GetQueryResults"},
      {"monitoring", "DescribeAlarms", "GetMetricData", "ListDashboards", "GetDashboard"},
      {
        "cloudformation",
        "DescribeStacks",
        "ListStacks",
        "DescribeStackEvents",
        "ListStackResources"
      },
      {"s3", "ListBuckets", "GetBucketLocation", "GetBucketPolicyStatus", "GetBucketVersioning"},
      {"secretsmanager", "ListSecrets", "DescribeSecret", "GetResourcePolicy"},
      {
        "ssm",
        "DescribeInstanceInformation",
        "DescribeParameters",
        "ListCommands",
        "DescribeSessions"
      },
      {"rds", "DescribeDBInstances", "DescribeDBClusters", "DescribeDBSnapshots"},
      {
        "elasticloadbalancing",
        "DescribeLoadBalancers",
        "DescribeTargetGroups",
        "DescribeTargetHealth",
        "DescribeListeners"
      },
      {"ecr", "DescribeRepositories", "DescribeImages", "ListImages"},
      {"kms", "ListAliases", "ListKeys", "DescribeKey"},
      {"route53", "ListHostedZones", "GetHostedZone", "ListResourceRecordSets"}
    };
    static final String[][] ADMIN_PAGES = {
      {"iam", "ListRoles", "GetRole", "ListAttachedRolePolicies", "ListRolePolicies"},
      {"iam", "ListUsers", "ListAccessKeys", "GetAccountSummary", "ListPolicies"},
      {"cloudtrail", "LookupEvents", "DescribeTrails", "GetTrailStatus", "GetEventSelectors"},
      {
        "config",
        "DescribeConfigRules",
        "DescribeComplianceByConfigRule",
        "DescribeConfigurationRecorderStatus"
      },
      {"securityhub", "GetFindings", "GetEnabledStandards", "DescribeHub"},
      {"guardduty", "ListDetectors", "GetDetector", "ListFindings"}
    };

    void consolePage(Person p, Session s, String ip, long t) {
      String[] page;
      if (p.role() == org.readOnly) {
        page = READ_ONLY_PAGES[rnd.nextInt(READ_ONLY_PAGES.length)];
      } else if (p.role() == org.admin && rnd.nextInt(3) == 0) {
        page = ADMIN_PAGES[rnd.nextInt(ADMIN_PAGES.length)];
      } else {
        page = BUILDER_PAGES[rnd.nextInt(BUILDER_PAGES.length)];
      }
      int calls = 1 + rnd.nextInt(page.length - 1);
      for (int i = 0; i < calls; i++) {
        String name = page[1 + (i + rnd.nextInt(2)) % (page.length - 1)];
        Map<String, Object> e =
            call(
                t + i / 2,
                s.identity,
                PROD,
                page[0] + ".amazonaws.com",
                name,
                ip,
                p.browser(),
                readParameters(page[0], name),
                null,
                true);
        e.put("sessionCredentialFromConsole", "true");
      }
    }

    Map<String, Object> readParameters(String service, String name) {
      switch (name) {
        case "DescribeInstances":
          return o("instancesSet", o(), "filterSet", o());
        case "GetFunction20150331v2", "ListAliases20150331", "GetPolicy20150331v2":
          return o("functionName", pick(org.functions).name());
        case "DescribeServices":
          return o(
              "cluster", "prod", "services", List.of(pick(org.services).name()), "include", null);
        case "DescribeLogStreams":
          return o(
              "logGroupName",
              "/aws/lambda/" + pick(org.functions).name(),
              "orderBy",
              "LastEventTime",
              "descending",
              true);
        case "DescribeSecret", "GetResourcePolicy":
          return o("secretId", pick(new ArrayList<>(org.secretArns.keySet())));
        case "GetBucketLocation", "GetBucketPolicyStatus", "GetBucketAcl", "GetBucketVersioning":
          return o(
              "bucketName",
              pick(List.of("acme-prod-uploads", "acme-prod-invoices", "acme-prod-reports")),
              "Host",
              "s3.amazonaws.com");
        case "GetMetricData":
          return o("scanBy", "TimestampDescending", "maxDatapoints", 1440);
        case "LookupEvents":
          return o("maxResults", 50);
        case "GetRole", "ListAttachedRolePolicies", "ListRolePolicies":
          return o("roleName", pick(org.functions).role().name());
        default:
          return service.equals("ec2") ? o("filterSet", o()) : null;
      }
    }

    /** {@code aws sts get-caller-identity}: how scripts and deploy jobs check who they are. */
    void callerIdentity(Session s, long t, String ip, String ua) {
      call(t, s.identity, PROD, "sts.amazonaws.com", "GetCallerIdentity", ip, ua, null, null, true);
    }

    void cliSession(Person p, long t, String ip) {
      Session s = ssoSignIn(p, t, false);
      String ua =
          "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6"
              + " md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off";
      callerIdentity(s, t + 3, ip, ua);
      long now = t + 10;
      int calls = 5 + rnd.nextInt(30);
      for (int i = 0; i < calls; i++) {
        now += 2 + rnd.nextInt(120);
        String[] page = BUILDER_PAGES[rnd.nextInt(BUILDER_PAGES.length)];
        String name = page[1 + rnd.nextInt(page.length - 1)];
        call(
            now,
            s.identity,
            PROD,
            page[0] + ".amazonaws.com",
            name,
            ip,
            ua + " md/command#" + page[0] + "." + kebab(name),
            readParameters(page[0], name),
            null,
            true);
      }
      if (rnd.nextDouble() < 0.25) {
        Service svc = pick(org.services);
        if (!svc.params().isEmpty()) {
          parameterRead(s, now + 5, ip, ua, svc.params().get(0));
        }
      }
    }

    void backupSignIns() {
      if (!workday) {
        return;
      }
      for (Person p : org.people) {
        IamUser u = p.backupUser();
        if (u == null || rnd.nextDouble() >= 0.75) {
          continue;
        }
        String ip = rnd.nextDouble() < 0.6 ? OFFICE_IP : p.homeIp();
        long t = d0 + 7 * 3600 + rnd.nextInt(120 * 60);
        if (rnd.nextDouble() < 0.3) {
          int failures = rnd.nextDouble() < 0.3 ? 2 : 1;
          for (int i = 0; i < failures; i++) {
            Map<String, Object> fail =
                call(
                    t,
                    o(
                        "type",
                        "IAMUser",
                        "principalId",
                        u.id(),
                        "accountId",
                        BACKUP,
                        "accessKeyId",
                        "",
                        "userName",
                        u.name()),
                    BACKUP,
                    "signin.amazonaws.com",
                    "ConsoleLogin",
                    ip,
                    p.browser(),
                    null,
                    o("ConsoleLogin", "Failure"),
                    false);
            fail.put("errorMessage", "Failed authentication");
            fail.put(
                "additionalEventData",
                o("LoginTo", CONSOLE_LOGIN_TO, "MobileVersion", "No", "MFAUsed", "No"));
            fail.put("eventType", "AwsConsoleSignIn");
            count("failed console sign-ins");
            t += 6 + rnd.nextInt(20);
          }
          t += 5 + rnd.nextInt(30);
        }
        Map<String, Object> login =
            call(
                t,
                o(
                    "type", "IAMUser",
                    "principalId", u.id(),
                    "arn", u.arn(),
                    "accountId", BACKUP,
                    "userName", u.name()),
                BACKUP,
                "signin.amazonaws.com",
                "ConsoleLogin",
                ip,
                p.browser(),
                null,
                o("ConsoleLogin", "Success"),
                false);
        login.put(
            "additionalEventData",
            o(
                "LoginTo",
                CONSOLE_LOGIN_TO,
                "MobileVersion",
                "No",
                "MFAIdentifier",
                "arn:aws:iam::" + BACKUP + ":mfa/" + u.name(),
                "MFAUsed",
                "Yes"));
        login.put("eventType", "AwsConsoleSignIn");
        count("console sign-ins");
        Map<String, Object> who =
            o(
                "type", "IAMUser",
                "principalId", u.id(),
                "arn", u.arn(),
                "accountId", BACKUP,
                "accessKeyId", "ASIA" + upper(rnd, 16),
                "userName", u.name(),
                "sessionContext",
                    o(
                        "sessionIssuer", o(),
                        "webIdFederationData", o(),
                        "attributes", o("creationDate", iso(t), "mfaAuthenticated", "true")));
        long now = t + 6;
        int pages = 3 + rnd.nextInt(8);
        for (int i = 0; i < pages; i++) {
          now += 15 + rnd.nextInt(200);
          String[] page =
              pick(
                  List.of(
                      new String[] {"ec2", "DescribeSnapshots", "DescribeSnapshotAttribute"},
                      new String[] {"ec2", "DescribeVolumes", "DescribeSnapshots"},
                      new String[] {"cloudtrail", "LookupEvents", "GetTrailStatus"},
                      new String[] {"monitoring", "DescribeAlarms", "GetMetricData"}));
          for (int k = 1; k < page.length; k++) {
            Map<String, Object> e =
                call(
                    now + k,
                    who,
                    BACKUP,
                    page[0] + ".amazonaws.com",
                    page[k],
                    ip,
                    p.browser(),
                    page[0].equals("ec2") ? o("filterSet", o()) : null,
                    null,
                    true);
            e.put("sessionCredentialFromConsole", "true");
          }
        }
      }
    }

    void deniedCalls() {
      if (consoles.isEmpty()) {
        return;
      }
      int n = workday ? 2 + rnd.nextInt(4) : rnd.nextInt(2);
      for (int i = 0; i < n; i++) {
        Console c = pick(consoles);
        long t = c.start() + 60 + rnd.nextInt((int) Math.max(60, c.end() - c.start()));
        Map<String, Object> e;
        Role r = c.person().role();
        String arn = c.session().arn();
        if (r == org.readOnly) {
          if (rnd.nextBoolean()) {
            String secret = pick(new ArrayList<>(org.secretArns.keySet()));
            e =
                call(
                    t,
                    c.session().identity,
                    PROD,
                    "secretsmanager.amazonaws.com",
                    "GetSecretValue",
                    c.ip(),
                    c.person().browser(),
                    o("secretId", org.secretArns.get(secret)),
                    null,
                    true);
            e.put("errorCode", "AccessDenied");
            e.put(
                "errorMessage",
                "User: "
                    + arn
                    + " is not authorized to perform: secretsmanager:GetSecretValue on resource: "
                    + org.secretArns.get(secret)
                    + " because no identity-based policy allows the"
                    + " secretsmanager:GetSecretValue action");
          } else {
            Instance target = pick(org.instances);
            e =
                call(
                    t,
                    c.session().identity,
                    PROD,
                    "ec2.amazonaws.com",
                    "RebootInstances",
                    c.ip(),
                    c.person().browser(),
                    o("instancesSet", o("items", List.of(o("instanceId", target.id())))),
                    null,
                    false);
            e.put("errorCode", "Client.UnauthorizedOperation");
            e.put(
                "errorMessage",
                "You are not authorized to perform this operation. User: "
                    + arn
                    + " is not authorized to perform: ec2:RebootInstances on resource:"
                    + " arn:aws:ec2:"
                    + REGION
                    + ":"
                    + PROD
                    + ":instance/"
                    + target.id()
                    + " because no identity-based policy allows the ec2:RebootInstances"
                    + " action. Encoded authorization failure message: "
                    + upper(rnd, 48));
          }
        } else {
          String roleName = pick(org.functions).role().name();
          e =
              call(
                  t,
                  c.session().identity,
                  PROD,
                  "iam.amazonaws.com",
                  "GetRolePolicy",
                  c.ip(),
                  c.person().browser(),
                  o("roleName", roleName, "policyName", "inline"),
                  null,
                  true);
          e.put("errorCode", "AccessDenied");
          e.put(
              "errorMessage",
              "User: "
                  + arn
                  + " is not authorized to perform: iam:GetRolePolicy on resource: role "
                  + roleName
                  + " with an explicit deny in an identity-based policy");
        }
        e.put("sessionCredentialFromConsole", "true");
        count("denied calls");
      }
    }

    // --- CI/CD ----------------------------------------------------------------------------

    Session githubSession(Role role, String repo, long t, String ip) {
      String akid = "ASIA" + upper(rnd, 16);
      String provider = "arn:aws:iam::" + PROD + ":oidc-provider/" + GITHUB_OIDC;
      String subject = "repo:" + repo + ":ref:refs/heads/main";
      call(
          t,
          o(
              "type",
              "WebIdentityUser",
              "principalId",
              provider + ":sts.amazonaws.com:" + subject,
              "userName",
              subject,
              "identityProvider",
              provider),
          PROD,
          "sts.amazonaws.com",
          "AssumeRoleWithWebIdentity",
          ip,
          "aws-sdk-nodejs/2.1692.0 linux/v20.18.0 configure-aws-credentials-for-github-actions"
              + " promise",
          o("roleArn", role.arn(), "roleSessionName", "GitHubActions", "durationSeconds", 3600),
          o(
              "credentials",
              credentials(akid, t + 3600),
              "subjectFromWebIdentityToken",
              subject,
              "assumedRoleUser",
              o(
                  "assumedRoleId",
                  role.id() + ":GitHubActions",
                  "arn",
                  role.sessionArn("GitHubActions")),
              "provider",
              provider,
              "audience",
              "sts.amazonaws.com"),
          true);
      return new Session(org.frozen, assumed(role, "GitHubActions", akid, t, false, false), PROD);
    }

    String runnerIp() {
      String[] prefixes = {"20.57.", "4.246.", "172.183.", "40.84.", "52.159."};
      return prefixes[rnd.nextInt(prefixes.length)]
          + rnd.nextInt(256)
          + "."
          + (1 + rnd.nextInt(254));
    }

    void deploys() {
      int n = workday ? 4 + rnd.nextInt(5) : (rnd.nextDouble() < 0.15 ? 1 : 0);
      for (int i = 0; i < n; i++) {
        long t = d0 + 8 * 3600 + rnd.nextInt(8 * 3600 + 1800);
        String ip = runnerIp();
        String ua =
            "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64"
                + " lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard"
                + " md/installer#exe md/distrib#ubuntu.22 md/prompt#off";
        int which = rnd.nextInt(org.lambdaApps.size() + org.services.size());
        LambdaApp app = which < org.lambdaApps.size() ? org.lambdaApps.get(which) : null;
        Service svc = app == null ? org.services.get(which - org.lambdaApps.size()) : null;
        // Each deploy job assumes the deploy role for its repository and checks who it is.
        Session s = githubSession(org.deploy, app != null ? app.repo() : svc.repo(), t, ip);
        callerIdentity(s, t + 2, ip, ua);
        if (app != null) {
          long now = t + 20;
          for (Fn f : app.functions()) {
            String key = f.name() + "/" + hex(rnd, 40) + ".zip";
            s3(s, now, ip, ua, "PutObject", "acme-prod-artifacts", key, false);
            lambdaDeploy(s, f, now + 3, ip, ua);
            now += 40;
          }
          if (rnd.nextDouble() < 0.3) {
            stackUpdate(
                s, app.repo().substring(5), now + 10, ip, ua, app.functions().get(0).role());
          }
        } else {
          long now = ecsDeploy(s, svc, t + 10, ip, ua);
          if (rnd.nextDouble() < 0.3) {
            stackUpdate(s, svc.name(), now + 10, ip, ua, svc.taskRole());
          }
        }
      }
    }

    void lambdaDeploy(Session s, Fn f, long t, String ip, String ua) {
      String fnArn = "arn:aws:lambda:" + REGION + ":" + PROD + ":function:" + f.name();
      String version = String.valueOf(100 + rnd.nextInt(400));
      call(
          t,
          s.identity,
          PROD,
          "lambda.amazonaws.com",
          "UpdateFunctionCode20150331v2",
          ip,
          ua,
          o(
              "fullyQualifiedArn",
              o(
                  "arnPrefix", o("partition", "aws", "region", REGION, "account", PROD),
                  "relativeId", o("functionName", f.name()),
                  "functionQualifier", o()),
              "functionName",
              fnArn,
              "publish",
              false,
              "dryRun",
              false),
          o(
              "functionName",
              f.name(),
              "functionArn",
              fnArn,
              "runtime",
              "python3.12",
              "role",
              f.role().arn(),
              "handler",
              "app.handler",
              "codeSize",
              1_000_000 + rnd.nextInt(9_000_000),
              "timeout",
              30,
              "memorySize",
              512,
              "lastModified",
              iso(t).replace("Z", ".000+0000"),
              "codeSha256",
              upper(rnd, 43) + "=",
              "version",
              "$LATEST",
              "state",
              "Active",
              "lastUpdateStatus",
              "InProgress",
              "packageType",
              "Zip",
              "architectures",
              List.of("arm64")),
          false);
      count("Lambda code updates");
      for (int i = 0; i < 2 + rnd.nextInt(3); i++) {
        call(
            t + 2 + 3 * i,
            s.identity,
            PROD,
            "lambda.amazonaws.com",
            "GetFunctionConfiguration20150331v2",
            ip,
            ua,
            o("functionName", f.name()),
            null,
            true);
      }
      call(
          t + 15,
          s.identity,
          PROD,
          "lambda.amazonaws.com",
          "PublishVersion20150331",
          ip,
          ua,
          o("functionName", f.name()),
          o("functionName", f.name(), "functionArn", fnArn + ":" + version, "version", version),
          false);
      call(
          t + 17,
          s.identity,
          PROD,
          "lambda.amazonaws.com",
          "UpdateAlias20150331",
          ip,
          ua,
          o("functionName", f.name(), "name", "live", "functionVersion", version),
          o("aliasArn", fnArn + ":live", "name", "live", "functionVersion", version),
          false);
    }

    long ecsDeploy(Session s, Service svc, long t, String ip, String ua) {
      String repo = PROD + ".dkr.ecr." + REGION + ".amazonaws.com/" + svc.name();
      call(
          t,
          s.identity,
          PROD,
          "ecr.amazonaws.com",
          "GetAuthorizationToken",
          ip,
          ua,
          o(),
          null,
          true);
      long now = t + 5;
      int layers = 1 + rnd.nextInt(3);
      for (int i = 0; i < layers; i++) {
        String upload = uuid(rnd);
        call(
            now,
            s.identity,
            PROD,
            "ecr.amazonaws.com",
            "InitiateLayerUpload",
            ip,
            ua,
            o("repositoryName", svc.name()),
            o("uploadId", upload, "partSize", 10485760),
            false);
        call(
            now + 4,
            s.identity,
            PROD,
            "ecr.amazonaws.com",
            "CompleteLayerUpload",
            ip,
            ua,
            o(
                "repositoryName", svc.name(),
                "uploadId", upload,
                "layerDigests", List.of("sha256:" + hex(rnd, 64))),
            o("repositoryName", svc.name(), "uploadId", upload),
            false);
        now += 6;
      }
      String tag = hex(rnd, 12);
      call(
          now,
          s.identity,
          PROD,
          "ecr.amazonaws.com",
          "PutImage",
          ip,
          ua,
          o("repositoryName", svc.name(), "imageTag", tag),
          o("image", o("repositoryName", svc.name(), "imageId", o("imageTag", tag))),
          false);
      List<Object> secrets = new ArrayList<>();
      for (String name : svc.secrets()) {
        secrets.add(
            o(
                "name", name.replaceAll(".*/", "").toUpperCase(Locale.ROOT).replace('-', '_'),
                "valueFrom", org.secretArns.get(name)));
      }
      for (String name : svc.params()) {
        secrets.add(
            o(
                "name",
                name.replaceAll(".*/", "").toUpperCase(Locale.ROOT).replace('-', '_'),
                "valueFrom",
                "arn:aws:ssm:" + REGION + ":" + PROD + ":parameter" + name));
      }
      call(
          now + 20,
          s.identity,
          PROD,
          "ecs.amazonaws.com",
          "DescribeTaskDefinition",
          ip,
          ua,
          o("taskDefinition", svc.name()),
          null,
          true);
      int revision = 200 + rnd.nextInt(300);
      call(
          now + 22,
          s.identity,
          PROD,
          "ecs.amazonaws.com",
          "RegisterTaskDefinition",
          ip,
          ua,
          o(
              "family", svc.name(),
              "taskRoleArn", svc.taskRole().arn(),
              "executionRoleArn", org.execution.arn(),
              "networkMode", "awsvpc",
              "requiresCompatibilities", List.of("FARGATE"),
              "cpu", "512",
              "memory", "1024",
              "containerDefinitions",
                  List.of(
                      o(
                          "name",
                          svc.name(),
                          "image",
                          repo + ":" + tag,
                          "essential",
                          true,
                          "portMappings",
                          List.of(o("containerPort", 8080, "protocol", "tcp")),
                          "secrets",
                          secrets,
                          "logConfiguration",
                          o(
                              "logDriver",
                              "awslogs",
                              "options",
                              o(
                                  "awslogs-group",
                                  "/ecs/" + svc.name(),
                                  "awslogs-region",
                                  REGION,
                                  "awslogs-stream-prefix",
                                  "ecs"))))),
          o(
              "taskDefinition",
              o(
                  "taskDefinitionArn",
                  "arn:aws:ecs:"
                      + REGION
                      + ":"
                      + PROD
                      + ":task-definition/"
                      + svc.name()
                      + ":"
                      + revision,
                  "family",
                  svc.name(),
                  "revision",
                  revision,
                  "status",
                  "ACTIVE")),
          false);
      call(
          now + 25,
          s.identity,
          PROD,
          "ecs.amazonaws.com",
          "UpdateService",
          ip,
          ua,
          o(
              "cluster",
              "prod",
              "service",
              svc.name(),
              "taskDefinition",
              svc.name() + ":" + revision,
              "forceNewDeployment",
              false),
          o("service", o("serviceName", svc.name(), "status", "ACTIVE")),
          false);
      now += 40;
      int polls = 6 + rnd.nextInt(10);
      for (int i = 0; i < polls; i++) {
        call(
            now + 15L * i,
            s.identity,
            PROD,
            "ecs.amazonaws.com",
            "DescribeServices",
            ip,
            ua,
            o("cluster", "prod", "services", List.of(svc.name())),
            null,
            true);
      }
      List<String> tasks = org.runningTasks.get(svc.name());
      for (int i = 0; i < tasks.size(); i++) {
        String id = hex(rnd, 32);
        tasks.set(i, id);
        taskStart(svc, id, now + 20 + 30L * i);
      }
      return now + 15L * polls;
    }

    void stackUpdate(Session s, String stack, long t, String ip, String ua, Role appRole) {
      String stackId =
          "arn:aws:cloudformation:" + REGION + ":" + PROD + ":stack/" + stack + "/" + uuid(rnd);
      String changeSet = "deploy-" + hex(rnd, 8);
      call(
          t,
          s.identity,
          PROD,
          "cloudformation.amazonaws.com",
          "CreateChangeSet",
          ip,
          ua,
          o(
              "stackName",
              stack,
              "templateURL",
              "https://acme-prod-artifacts.s3.amazonaws.com/cfn/" + hex(rnd, 32),
              "capabilities",
              List.of("CAPABILITY_IAM"),
              "changeSetName",
              changeSet,
              "changeSetType",
              "UPDATE"),
          o(
              "id",
              "arn:aws:cloudformation:"
                  + REGION
                  + ":"
                  + PROD
                  + ":changeSet/"
                  + changeSet
                  + "/"
                  + uuid(rnd),
              "stackId",
              stackId),
          false);
      for (int i = 0; i < 2; i++) {
        call(
            t + 5 + 5L * i,
            s.identity,
            PROD,
            "cloudformation.amazonaws.com",
            "DescribeChangeSet",
            ip,
            ua,
            o("changeSetName", changeSet, "stackName", stack),
            null,
            true);
      }
      call(
          t + 16,
          s.identity,
          PROD,
          "cloudformation.amazonaws.com",
          "ExecuteChangeSet",
          ip,
          ua,
          o("changeSetName", changeSet, "stackName", stack),
          null,
          false);
      Map<String, Object> viaCfn = s.via("cloudformation.amazonaws.com");
      String cfn = "cloudformation.amazonaws.com";
      call(
          t + 20,
          viaCfn,
          PROD,
          "logs.amazonaws.com",
          "PutRetentionPolicy",
          cfn,
          cfn,
          o("logGroupName", "/app/" + stack, "retentionInDays", 90),
          null,
          false);
      call(
          t + 22,
          viaCfn,
          PROD,
          "monitoring.amazonaws.com",
          "PutMetricAlarm",
          cfn,
          cfn,
          o(
              "alarmName",
              stack + "-errors",
              "metricName",
              "Errors",
              "namespace",
              "AWS/Lambda",
              "threshold",
              5.0,
              "comparisonOperator",
              "GreaterThanOrEqualToThreshold",
              "evaluationPeriods",
              1,
              "period",
              300,
              "statistic",
              "Sum"),
          null,
          false);
      if (rnd.nextDouble() < 0.05) {
        call(
            t + 24,
            viaCfn,
            PROD,
            "iam.amazonaws.com",
            "PutRolePolicy",
            cfn,
            cfn,
            o(
                "roleName", appRole.name(),
                "policyName", stack + "-queue-access",
                "policyDocument",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Action\":[\"sqs:SendMessage\","
                        + "\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\"],\"Resource\":"
                        + "\"arn:aws:sqs:"
                        + REGION
                        + ":"
                        + PROD
                        + ":"
                        + stack
                        + "-*\",\"Effect\":\"Allow\"}]}"),
            null,
            false);
        count("IAM policy changes");
      }
      int polls = 5 + rnd.nextInt(8);
      for (int i = 0; i < polls; i++) {
        call(
            t + 20 + 10L * i,
            s.identity,
            PROD,
            "cloudformation.amazonaws.com",
            "DescribeStackEvents",
            ip,
            ua,
            o("stackName", stack),
            null,
            true);
      }
      call(
          t + 25 + 10L * polls,
          s.identity,
          PROD,
          "cloudformation.amazonaws.com",
          "DescribeStacks",
          ip,
          ua,
          o("stackName", stack),
          null,
          true);
    }

    void infrastructure() {
      if (!workday) {
        return;
      }
      String ua =
          "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io)"
              + " terraform-provider-aws/5.75.0"
              + " (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.4"
              + " ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.187.0";
      // The infrastructure pipeline applies security group changes on Tuesdays and Fridays,
      // when one is waiting (most weeks).
      DayOfWeek dow = date.getDayOfWeek();
      if ((dow == DayOfWeek.TUESDAY || dow == DayOfWeek.FRIDAY) && rnd.nextDouble() < 0.7) {
        long t = d0 + 9 * 3600 + rnd.nextInt(7 * 3600);
        String ip = runnerIp();
        Session s = githubSession(org.infra, "acme/infrastructure", t, ip);
        call(
            t + 5,
            s.identity,
            PROD,
            "ec2.amazonaws.com",
            "DescribeSecurityGroups",
            ip,
            ua,
            o("securityGroupIdSet", o("items", List.of(o("groupId", org.sgDatabase)))),
            null,
            true);
        String cidr = "10." + (20 + rnd.nextInt(20)) + ".0.0/16";
        int port = pick(List.of(5432, 443, 6379));
        Map<String, Object> permission =
            o(
                "items",
                List.of(
                    o(
                        "ipProtocol", "tcp",
                        "fromPort", port,
                        "toPort", port,
                        "groups", o(),
                        "ipRanges",
                            o("items", List.of(o("cidrIp", cidr, "description", "peered VPC"))),
                        "ipv6Ranges", o(),
                        "prefixListIds", o())));
        call(
            t + 8,
            s.identity,
            PROD,
            "ec2.amazonaws.com",
            "AuthorizeSecurityGroupIngress",
            ip,
            ua,
            o("groupId", org.sgDatabase, "ipPermissions", permission),
            o(
                "requestId", uuid(rnd),
                "_return", true,
                "securityGroupRuleSet",
                    o(
                        "items",
                        List.of(
                            o(
                                "groupOwnerId",
                                PROD,
                                "groupId",
                                org.sgDatabase,
                                "securityGroupRuleId",
                                "sgr-0" + hex(rnd, 16),
                                "isEgress",
                                false,
                                "ipProtocol",
                                "tcp",
                                "fromPort",
                                port,
                                "toPort",
                                port,
                                "cidrIpv4",
                                cidr,
                                "description",
                                "peered VPC")))),
            false);
        count("security group changes");
        if (rnd.nextBoolean()) {
          String old = "10." + (40 + rnd.nextInt(20)) + ".0.0/16";
          call(
              t + 10,
              s.identity,
              PROD,
              "ec2.amazonaws.com",
              "RevokeSecurityGroupIngress",
              ip,
              ua,
              o(
                  "groupId",
                  org.sgDatabase,
                  "ipPermissions",
                  o(
                      "items",
                      List.of(
                          o(
                              "ipProtocol", "tcp",
                              "fromPort", port,
                              "toPort", port,
                              "groups", o(),
                              "ipRanges", o("items", List.of(o("cidrIp", old))),
                              "ipv6Ranges", o(),
                              "prefixListIds", o())))),
              o("requestId", uuid(rnd), "_return", true),
              false);
          count("security group changes");
        }
      }
      // The network team's weekly change window, on Thursdays: a route to a newly peered VPC.
      if (dow == DayOfWeek.THURSDAY) {
        long t = d0 + 9 * 3600 + rnd.nextInt(7 * 3600);
        String ip = runnerIp();
        Session s = githubSession(org.infra, "acme/infrastructure", t, ip);
        call(
            t + 5,
            s.identity,
            PROD,
            "ec2.amazonaws.com",
            "DescribeRouteTables",
            ip,
            ua,
            o(
                "routeTableIdSet",
                o("items", List.of(o("routeTableId", org.routeTable))),
                "filterSet",
                o()),
            null,
            true);
        call(
            t + 9,
            s.identity,
            PROD,
            "ec2.amazonaws.com",
            "CreateRoute",
            ip,
            ua,
            o(
                "routeTableId", org.routeTable,
                "destinationCidrBlock", "10." + (60 + rnd.nextInt(30)) + ".0.0/16",
                "transitGatewayId", org.tgw),
            o("requestId", uuid(rnd), "_return", true),
            false);
        count("route table changes");
      }
    }

    // --- EC2 instances --------------------------------------------------------------------

    /** Four instance-profile sessions a day, each credential refresh logged as AssumeRole. */
    Session[] instanceSessions(Instance in) {
      Session[] sessions = new Session[4];
      for (int k = 0; k < 4; k++) {
        long t = d0 + k * 6 * 3600L + rnd.nextInt(600);
        String akid = "ASIA" + upper(rnd, 16);
        serviceAssume(t, "ec2.amazonaws.com", in.role(), in.id(), akid, 21600, PROD);
        sessions[k] =
            new Session(org.frozen, assumed(in.role(), in.id(), akid, t, false, true), PROD);
      }
      return sessions;
    }

    static Session at(Session[] sessions, long d0, long t) {
      return sessions[(int) Math.min(3, Math.max(0, (t - d0) / (6 * 3600)))];
    }

    void ssmAgent(Instance in, Session[] sessions) {
      String ua = "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) amazon-ssm-agent/3.3.1142.0";
      String vpce = "vpce-0" + hex(new Random(in.id().hashCode()), 16);
      Map<String, Object> report =
          freeze(
              o(
                  "instanceId", in.id(),
                  "agentVersion", "3.3.1142.0",
                  "agentStatus", "Active",
                  "platformType", "Linux",
                  "platformName", "Amazon Linux",
                  "platformVersion", "2023",
                  "iPAddress", in.privateIp(),
                  "computerName", "ip-" + in.privateIp().replace('.', '-') + ".ec2.internal",
                  "agentName", "amazon-ssm-agent",
                  "availabilityZone", REGION + (in.natIp().equals(NAT_IPS[0]) ? "a" : "b"),
                  "availabilityZoneId", in.natIp().equals(NAT_IPS[0]) ? "use1-az1" : "use1-az2"));
      Map<String, Object> associations = freeze(o("instanceId", in.id(), "maxResults", 20));
      int beat = 0;
      for (long t = d0 + rnd.nextInt(300); t < d0 + 86400; t += 295 + rnd.nextInt(11)) {
        Map<String, Object> e =
            call(
                t,
                at(sessions, d0, t).identity,
                PROD,
                "ssm.amazonaws.com",
                "UpdateInstanceInformation",
                in.privateIp(),
                ua,
                report,
                null,
                false);
        e.put("vpcEndpointId", vpce);
        if (beat++ % 2 == 0) {
          Map<String, Object> a =
              call(
                  t + 1,
                  at(sessions, d0, t).identity,
                  PROD,
                  "ssm.amazonaws.com",
                  "ListInstanceAssociations",
                  in.privateIp(),
                  ua,
                  associations,
                  null,
                  true);
          a.put("vpcEndpointId", vpce);
        }
      }
    }

    void instances() {
      String javaUa =
          "aws-sdk-java/2.29.6 md/io#sync md/http#Apache ua/2.1 os/Linux#6.1.115-126.197.amzn2023"
              + ".x86_64 lang/java#21.0.5 md/OpenJDK_64-Bit_Server_VM#21.0.5+11-LTS m/D";
      for (Instance in : org.instances) {
        Session[] sessions = instanceSessions(in);
        ssmAgent(in, sessions);
        if (in.kind().equals("web")) {
          for (long t = d0 + rnd.nextInt(3600); t < d0 + 86400; t += 3300 + rnd.nextInt(600)) {
            Session s = at(sessions, d0, t);
            secretRead(s, t, in.natIp(), javaUa, "prod/web/db", false);
            secretRead(s, t + 1, in.natIp(), javaUa, "prod/web/session-key", false);
            parameterRead(s, t + 2, in.natIp(), javaUa, "/prod/web/stripe-api-key");
          }
          for (int h = 0; h < 24; h++) {
            int rate = busy(h) ? 36 : 6;
            if (!workday) {
              rate = rate * 2 / 3;
            }
            int n = rate / 2 + rnd.nextInt(rate + 1);
            for (int i = 0; i < n; i++) {
              long t = d0 + h * 3600L + rnd.nextInt(3600);
              Session s = at(sessions, d0, t);
              if (rnd.nextInt(10) < 3) {
                String key = "uploads/" + ymd + "/" + uuid(rnd) + ".jpg";
                s3(s, t, in.natIp(), javaUa, "PutObject", "acme-prod-uploads", key, false);
                uploads.add(t);
              } else {
                String key = "uploads/" + ymd + "/" + uuid(rnd) + ".jpg";
                s3(s, t, in.natIp(), javaUa, "GetObject", "acme-prod-uploads", key, true);
              }
            }
          }
        } else {
          batch(in, sessions, javaUa);
        }
      }
    }

    void batch(Instance in, Session[] sessions, String ua) {
      long t = d0 + 30 * 60 + rnd.nextInt(600);
      Session s = at(sessions, d0, t);
      secretRead(s, t, in.natIp(), ua, "prod/batch/db", false);
      parameterRead(s, t + 1, in.natIp(), ua, "/prod/batch/sftp-password");
      int reads = 80 + rnd.nextInt(120);
      for (int i = 0; i < reads; i++) {
        t += 2 + rnd.nextInt(20);
        s3(
            at(sessions, d0, t),
            t,
            in.natIp(),
            ua,
            "GetObject",
            "acme-prod-invoices",
            "invoices/" + ymd + "/" + uuid(rnd) + ".pdf",
            true);
      }
      int writes = 20 + rnd.nextInt(30);
      for (int i = 0; i < writes; i++) {
        t += 5 + rnd.nextInt(40);
        Session now = at(sessions, d0, t);
        Map<String, Object> e =
            call(
                t,
                now.identity,
                PROD,
                "kms.amazonaws.com",
                "GenerateDataKey",
                in.natIp(),
                ua,
                o(
                    "keyId", "alias/batch-exports",
                    "keySpec", "AES_256",
                    "encryptionContext", o("purpose", "partner-export")),
                null,
                true);
        e.put(
            "resources", List.of(o("accountId", PROD, "type", "AWS::KMS::Key", "ARN", org.kmsKey)));
        count("KMS Decrypt and GenerateDataKey");
        s3(
            now,
            t + 1,
            in.natIp(),
            ua,
            "PutObject",
            "acme-prod-reports",
            "exports/" + ymd + "/" + hex(rnd, 12) + ".csv.enc",
            false);
      }
    }

    void monitoring() {
      Instance in = org.monitoring;
      Session[] sessions = instanceSessions(in);
      ssmAgent(in, sessions);
      String ua = "aws-sdk-go/1.55.5 (go1.23.2; linux; amd64) prometheus/2.55.1";
      for (long t = d0 + rnd.nextInt(60); t < d0 + 86400; t += 60) {
        call(
            t,
            at(sessions, d0, t).identity,
            PROD,
            "ec2.amazonaws.com",
            "DescribeInstances",
            in.natIp(),
            ua,
            o("instancesSet", o(), "filterSet", o()),
            null,
            true);
      }
      String yace =
          "aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.2 yet-another-cloudwatch-exporter";
      for (long t = d0 + rnd.nextInt(300); t < d0 + 86400; t += 300) {
        call(
            t,
            at(sessions, d0, t).identity,
            PROD,
            "monitoring.amazonaws.com",
            "GetMetricData",
            in.natIp(),
            yace,
            o("startTime", iso(t - 600), "endTime", iso(t)),
            null,
            true);
      }
    }

    // --- Lambda ---------------------------------------------------------------------------

    String lambdaIp() {
      String[] prefixes = {"3.80.", "34.229.", "54.161.", "44.202.", "18.207."};
      return prefixes[rnd.nextInt(prefixes.length)]
          + rnd.nextInt(256)
          + "."
          + (1 + rnd.nextInt(254));
    }

    static final String PY_UA =
        "Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64"
            + " md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12"
            + " cfg/retry-mode#legacy Botocore/1.35.54";

    /** A cold start: the role assumed, the log stream, the function's secrets and parameters. */
    Session coldStart(Fn f, long t, String ip) {
      String akid = "ASIA" + upper(rnd, 16);
      serviceAssume(t, "lambda.amazonaws.com", f.role(), f.name(), akid, 43200, f.role().account());
      Session s =
          new Session(
              org.frozen, assumed(f.role(), f.name(), akid, t, false, false), f.role().account());
      call(
          t + 1,
          s.identity,
          f.role().account(),
          "logs.amazonaws.com",
          "CreateLogStream",
          ip,
          "awslambda-worker/1.0 rusoto/0.48.0 rust/1.80.1 linux",
          o(
              "logGroupName", "/aws/lambda/" + f.name(),
              "logStreamName", ymd + "/[$LATEST]" + hex(rnd, 32)),
          null,
          false);
      long now = t + 2;
      for (String p : f.params()) {
        parameterRead(s, now++, ip, PY_UA, p);
      }
      for (String secret : f.secrets()) {
        secretRead(s, now++, ip, PY_UA, secret, false);
      }
      return s;
    }

    void lambdas() {
      for (Fn f : org.functions) {
        for (int h = 0; h < 24; h++) {
          int rate = busy(h) && workday ? f.busyColdStarts() : 1;
          int n = rate / 2 + rnd.nextInt(rate + 1);
          for (int i = 0; i < n; i++) {
            coldStart(f, d0 + h * 3600L + rnd.nextInt(3600), lambdaIp());
          }
        }
      }
      // Invoices: every one written with SSE-KMS (a data key from KMS, asked for by S3).
      String ip = lambdaIp();
      Session s = coldStart(org.invoices, d0 + 5, ip);
      for (int h = 0; h < 24; h++) {
        int rate = busy(h) && workday ? 40 : 4;
        int n = rate / 2 + rnd.nextInt(rate + 1);
        for (int i = 0; i < n; i++) {
          long t = d0 + h * 3600L + rnd.nextInt(3600);
          String key = "invoices/" + ymd + "/" + uuid(rnd) + ".pdf";
          sseKms(s, t, key);
          s3(s, t, ip, PY_UA, "PutObject", "acme-prod-invoices", key, false);
        }
      }
      // Thumbnails: for every upload, the original read and a thumbnail written.
      Session resizer = coldStart(org.thumbnails, d0 + 7, lambdaIp());
      String rip = lambdaIp();
      for (long t : uploads) {
        String id = uuid(rnd);
        s3(
            resizer,
            t + 1,
            rip,
            PY_UA,
            "GetObject",
            "acme-prod-uploads",
            "uploads/" + ymd + "/" + id + ".jpg",
            true);
        s3(
            resizer,
            t + 2,
            rip,
            PY_UA,
            "PutObject",
            "acme-prod-uploads",
            "thumbnails/" + ymd + "/" + id + ".webp",
            false);
      }
      // The nightly report.
      long t = d0 + 5 * 3600 + rnd.nextInt(300);
      String rep = lambdaIp();
      Session r = coldStart(org.reports, t, rep);
      int reads = 100 + rnd.nextInt(200);
      for (int i = 0; i < reads; i++) {
        t += 1 + rnd.nextInt(3);
        s3(
            r,
            t,
            rep,
            PY_UA,
            "GetObject",
            "acme-prod-invoices",
            "invoices/" + ymd + "/" + uuid(rnd) + ".pdf",
            true);
      }
      for (int i = 0; i < 8; i++) {
        s3(
            r,
            t + i,
            rep,
            PY_UA,
            "PutObject",
            "acme-prod-reports",
            "daily/" + ymd + "/report-" + i + ".xlsx",
            false);
      }
    }

    void sseKms(Session s, long t, String key) {
      Map<String, Object> e =
          call(
              t,
              s.via("s3.amazonaws.com"),
              PROD,
              "kms.amazonaws.com",
              "GenerateDataKey",
              "s3.amazonaws.com",
              "s3.amazonaws.com",
              o(
                  "encryptionContext",
                  o("aws:s3:arn", "arn:aws:s3:::acme-prod-invoices/" + key),
                  "keyId",
                  org.kmsKey,
                  "keySpec",
                  "AES_256"),
              null,
              true);
      e.put("resources", List.of(o("accountId", PROD, "type", "AWS::KMS::Key", "ARN", org.kmsKey)));
      count("KMS Decrypt and GenerateDataKey");
    }

    // --- ECS ------------------------------------------------------------------------------

    void ecs() {
      String ua =
          "aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64"
              + " api/s3#1.66.3";
      for (Service svc : org.services) {
        List<String> tasks = org.runningTasks.get(svc.name());
        // A task replaced now and then (a failed health check, a host retired by Fargate).
        if (rnd.nextDouble() < 0.4) {
          int i = rnd.nextInt(tasks.size());
          String id = hex(rnd, 32);
          tasks.set(i, id);
          taskStart(svc, id, d0 + rnd.nextInt(86400));
        }
        if (!svc.name().equals("catalog")) {
          continue;
        }
        // The catalog reads product images.
        for (String task : tasks) {
          Session s =
              new Session(
                  org.frozen,
                  assumed(svc.taskRole(), task, "ASIA" + upper(rnd, 16), d0, false, false),
                  PROD);
          for (int h = 0; h < 24; h++) {
            int rate = busy(h) ? 40 : 12;
            int n = rate / 2 + rnd.nextInt(rate + 1);
            for (int i = 0; i < n; i++) {
              s3(
                  s,
                  d0 + h * 3600L + rnd.nextInt(3600),
                  pick(List.of(NAT_IPS)),
                  ua,
                  "GetObject",
                  "acme-prod-uploads",
                  "products/" + hex(rnd, 8) + ".jpg",
                  true);
            }
          }
        }
      }
    }

    void taskStart(Service svc, String task, long t) {
      String akid = "ASIA" + upper(rnd, 16);
      String ip = NAT_IPS[rnd.nextInt(NAT_IPS.length)];
      String agent = "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) fargate-agent/1.4.0";
      serviceAssume(t, "ecs-tasks.amazonaws.com", org.execution, task, akid, 21600, PROD);
      Session s =
          new Session(org.frozen, assumed(org.execution, task, akid, t, false, false), PROD);
      call(
          t + 2,
          s.identity,
          PROD,
          "ecr.amazonaws.com",
          "GetAuthorizationToken",
          ip,
          agent,
          o(),
          null,
          true);
      call(
          t + 3,
          s.identity,
          PROD,
          "ecr.amazonaws.com",
          "BatchGetImage",
          ip,
          agent,
          o(
              "repositoryName", svc.name(),
              "imageIds", List.of(o("imageTag", "latest")),
              "acceptedMediaTypes",
                  List.of("application/vnd.docker.distribution.manifest.v2+json")),
          null,
          true);
      long now = t + 5;
      for (String secret : svc.secrets()) {
        secretRead(s, now++, ip, agent, secret, false);
      }
      if (!svc.params().isEmpty()) {
        Map<String, Object> e =
            call(
                now++,
                s.identity,
                PROD,
                "ssm.amazonaws.com",
                "GetParameters",
                ip,
                agent,
                o("names", List.copyOf(svc.params()), "withDecryption", true),
                null,
                true);
        e.put("resources", parameterResources(svc.params()));
        count("SSM parameters read with decryption", svc.params().size());
        for (String p : svc.params()) {
          decryptParameter(s, now, p);
        }
      }
      call(
          now + 1,
          s.identity,
          PROD,
          "logs.amazonaws.com",
          "CreateLogStream",
          ip,
          agent,
          o(
              "logGroupName",
              "/ecs/" + svc.name(),
              "logStreamName",
              "ecs/" + svc.name() + "/" + task),
          null,
          false);
      serviceAssume(
          now + 4,
          "ecs-tasks.amazonaws.com",
          svc.taskRole(),
          task,
          "ASIA" + upper(rnd, 16),
          21600,
          PROD);
    }

    // --- nightly jobs ---------------------------------------------------------------------

    void snapshots() {
      long t = d0 + 3600 + rnd.nextInt(60);
      String ip = lambdaIp();
      Session s = coldStart(org.snapshotFn, t, ip);
      List<Instance> all = new ArrayList<>(org.instances);
      all.add(org.monitoring);
      call(
          t + 3,
          s.identity,
          PROD,
          "ec2.amazonaws.com",
          "DescribeVolumes",
          ip,
          PY_UA,
          o(
              "volumeSet",
              o(),
              "filterSet",
              o(
                  "items",
                  List.of(
                      o(
                          "name",
                          "tag:Backup",
                          "valueSet",
                          o("items", List.of(o("value", "nightly"))))))),
          null,
          true);
      List<String> made = new ArrayList<>();
      long now = t + 5;
      for (Instance in : all) {
        String snap = "snap-0" + hex(rnd, 16);
        made.add(snap);
        call(
            now++,
            s.identity,
            PROD,
            "ec2.amazonaws.com",
            "CreateSnapshot",
            ip,
            PY_UA,
            o(
                "volumeId", in.volume(),
                "description", "nightly " + ymd + " " + in.id(),
                "tagSpecificationSet",
                    o(
                        "items",
                        List.of(
                            o(
                                "resourceType",
                                "snapshot",
                                "tags",
                                List.of(o("key", "Backup", "value", "nightly")))))),
            o(
                "requestId",
                uuid(rnd),
                "snapshotId",
                snap,
                "volumeId",
                in.volume(),
                "status",
                "pending",
                "startTime",
                (now) * 1000,
                "progress",
                "",
                "ownerId",
                PROD,
                "volumeSize",
                50,
                "encrypted",
                true,
                "kmsKeyId",
                org.kmsKey),
            false);
      }
      for (int i = 0; i < 4; i++) {
        now += 200;
        call(
            now,
            s.identity,
            PROD,
            "ec2.amazonaws.com",
            "DescribeSnapshots",
            ip,
            PY_UA,
            o(
                "snapshotSet",
                o("items", made.stream().map(id -> (Object) o("snapshotId", id)).toList()),
                "ownersSet",
                o(),
                "filterSet",
                o()),
            null,
            true);
      }
      for (String snap : made) {
        call(
            ++now,
            s.identity,
            PROD,
            "ec2.amazonaws.com",
            "ModifySnapshotAttribute",
            ip,
            PY_UA,
            o(
                "snapshotId",
                snap,
                "createVolumePermission",
                o("add", o("items", List.of(o("userId", BACKUP)))),
                "attributeType",
                "CREATE_VOLUME_PERMISSION"),
            o("requestId", uuid(rnd), "_return", true),
            false);
        count("EBS snapshots shared with the backup account");
      }
      for (String old : org.oldSnapshots) {
        call(
            ++now,
            s.identity,
            PROD,
            "ec2.amazonaws.com",
            "DeleteSnapshot",
            ip,
            PY_UA,
            o("snapshotId", old),
            o("requestId", uuid(rnd), "_return", true),
            false);
      }
      org.oldSnapshots.clear();
      org.oldSnapshots.addAll(made);

      // The backup account copies them with its own key, and drops its oldest copies.
      long c = now + 600 + rnd.nextInt(300);
      String cip = lambdaIp();
      Session copier = coldStart(org.copierFn, c, cip);
      List<String> copies = new ArrayList<>();
      long k = c + 3;
      for (String snap : made) {
        String copy = "snap-0" + hex(rnd, 16);
        copies.add(copy);
        call(
            k++,
            copier.identity,
            BACKUP,
            "ec2.amazonaws.com",
            "CopySnapshot",
            cip,
            PY_UA,
            o(
                "sourceRegion",
                REGION,
                "sourceSnapshotId",
                snap,
                "description",
                "copy of " + snap + " from " + PROD,
                "encrypted",
                true,
                "kmsKeyId",
                org.backupKmsKey),
            o("requestId", uuid(rnd), "snapshotId", copy),
            false);
      }
      call(
          k + 300,
          copier.identity,
          BACKUP,
          "ec2.amazonaws.com",
          "DescribeSnapshots",
          cip,
          PY_UA,
          o("snapshotSet", o(), "ownersSet", o("items", List.of(o("owner", "self")))),
          null,
          true);
      String oldest = org.oldCopies.get(rnd.nextInt(org.oldCopies.size()));
      call(
          k + 305,
          copier.identity,
          BACKUP,
          "ec2.amazonaws.com",
          "DeleteSnapshot",
          cip,
          PY_UA,
          o("snapshotId", oldest),
          o("requestId", uuid(rnd), "_return", true),
          false);
      org.oldCopies.remove(oldest);
      org.oldCopies.addAll(copies);
    }

    void patching() {
      long t = d0 + 3 * 3600 + rnd.nextInt(20);
      String ip = lambdaIp();
      Session s = coldStart(org.patchFn, t, ip);
      call(
          t + 3,
          s.identity,
          PROD,
          "ssm.amazonaws.com",
          "DescribeInstanceInformation",
          ip,
          PY_UA,
          o("filters", List.of(o("key", "tag:PatchGroup", "values", List.of("prod-linux")))),
          null,
          true);
      String commandId = uuid(rnd);
      Map<String, Object> targets = o("key", "tag:PatchGroup", "values", List.of("prod-linux"));
      call(
          t + 5,
          s.identity,
          PROD,
          "ssm.amazonaws.com",
          "SendCommand",
          ip,
          PY_UA,
          o(
              "targets", List.of(targets),
              "documentName", "AWS-RunPatchBaseline",
              "parameters", "HIDDEN_DUE_TO_SECURITY_REASONS",
              "timeoutSeconds", 3600,
              "maxConcurrency", "50%",
              "maxErrors", "25%",
              "interactive", false),
          o(
              "command",
              o(
                  "commandId",
                  commandId,
                  "documentName",
                  "AWS-RunPatchBaseline",
                  "documentVersion",
                  "$DEFAULT",
                  "comment",
                  "",
                  "expiresAfter",
                  EXPIRATION.format(Instant.ofEpochSecond(t + 3605 + 3600)),
                  "parameters",
                  "HIDDEN_DUE_TO_SECURITY_REASONS",
                  "instanceIds",
                  List.of(),
                  "targets",
                  List.of(targets),
                  "requestedDateTime",
                  EXPIRATION.format(Instant.ofEpochSecond(t + 5)),
                  "status",
                  "Pending",
                  "statusDetails",
                  "Pending",
                  "maxConcurrency",
                  "50%",
                  "maxErrors",
                  "25%",
                  "targetCount",
                  0,
                  "completedCount",
                  0,
                  "errorCount",
                  0,
                  "deliveryTimedOutCount",
                  0,
                  "serviceRole",
                  "",
                  "timeoutSeconds",
                  3600,
                  "interactive",
                  false)),
          false);
      count("SSM SendCommand");
      for (int i = 1; i <= 5; i++) {
        call(
            t + 5 + 300L * i,
            s.identity,
            PROD,
            "ssm.amazonaws.com",
            "ListCommands",
            ip,
            PY_UA,
            o("commandId", commandId),
            null,
            true);
      }
      String ua = "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) amazon-ssm-agent/3.3.1142.0";
      for (Instance in : org.instances) {
        long done = t + 120 + rnd.nextInt(1500);
        Session is =
            new Session(
                org.frozen,
                assumed(in.role(), in.id(), "ASIA" + upper(rnd, 16), d0, false, true),
                PROD);
        call(
            done,
            is.identity,
            PROD,
            "ssm.amazonaws.com",
            "PutComplianceItems",
            in.privateIp(),
            ua,
            o(
                "resourceId",
                in.id(),
                "resourceType",
                "ManagedInstance",
                "complianceType",
                "Patch",
                "executionSummary",
                o(
                    "executionTime",
                    EXPIRATION.format(Instant.ofEpochSecond(done)),
                    "executionId",
                    commandId,
                    "executionType",
                    "Command"),
                "itemContentHash",
                hex(rnd, 64),
                "uploadType",
                "COMPLETE"),
            null,
            false);
        call(
            done + 2,
            is.identity,
            PROD,
            "ssm.amazonaws.com",
            "PutInventory",
            in.privateIp(),
            ua,
            o("instanceId", in.id()),
            null,
            false);
      }
    }

    void partner() {
      IamUser u = org.partner;
      Map<String, Object> who =
          o(
              "type", "IAMUser",
              "principalId", u.id(),
              "arn", u.arn(),
              "accountId", PROD,
              "accessKeyId", u.key(),
              "userName", u.name());
      Session s = new Session(org.frozen, who, PROD);
      String ua =
          "aws-sdk-java/1.12.261 Windows_Server_2016/10.0"
              + " Java_HotSpot(TM)_64-Bit_Server_VM/25.333-b02 java/1.8.0_333"
              + " vendor/Oracle_Corporation cfg/retry-mode/standard";
      for (long t = d0 + rnd.nextInt(900); t < d0 + 86400; t += 885 + rnd.nextInt(30)) {
        s3(s, t, PARTNER_IP, ua, "ListObjects", "acme-partner-exchange", null, true);
        count("partner IAM user key calls");
        if (rnd.nextDouble() < 0.3) {
          int n = 1 + rnd.nextInt(3);
          for (int i = 0; i < n; i++) {
            String key = "inbound/" + ymd + "/orders-" + hex(rnd, 8) + ".csv";
            s3(s, t + 2 + i, PARTNER_IP, ua, "GetObject", "acme-partner-exchange", key, true);
            s3(s, t + 3 + i, PARTNER_IP, ua, "DeleteObject", "acme-partner-exchange", key, false);
            count("partner IAM user key calls", 2);
          }
        }
        if (rnd.nextDouble() < 0.2) {
          s3(
              s,
              t + 8,
              PARTNER_IP,
              ua,
              "PutObject",
              "acme-partner-exchange",
              "outbound/" + ymd + "/status-" + hex(rnd, 8) + ".csv",
              false);
          count("partner IAM user key calls");
        }
      }
    }

    void config() {
      configRecorder(org.config, PROD, 30, 50);
      configRecorder(org.configBackup, BACKUP, 4, 8);
    }

    void configRecorder(Role role, String account, int min, int max) {
      String[][] calls = {
        {"ec2", "DescribeInstances"},
        {"ec2", "DescribeSecurityGroups"},
        {"ec2", "DescribeVolumes"},
        {"ec2", "DescribeNetworkInterfaces"},
        {"ec2", "DescribeRouteTables"},
        {"ec2", "DescribeSnapshots"},
        {"iam", "GetRole"},
        {"iam", "ListAttachedRolePolicies"},
        {"iam", "GetPolicy"},
        {"s3", "GetBucketPolicy"},
        {"s3", "GetBucketEncryption"},
        {"lambda", "GetFunction20150331v2"},
        {"rds", "DescribeDBInstances"},
        {"kms", "DescribeKey"},
        {"ecs", "DescribeServices"}
      };
      Session s =
          new Session(
              org.frozen,
              assumed(role, "AWSConfig-Describe", "ASIA" + upper(rnd, 16), d0, false, false),
              account);
      Map<String, Object> who = s.via("config.amazonaws.com");
      for (int h = 0; h < 24; h++) {
        int n = min + rnd.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
          String[] c = calls[rnd.nextInt(calls.length)];
          call(
              d0 + h * 3600L + rnd.nextInt(3600),
              who,
              account,
              c[0] + ".amazonaws.com",
              c[1],
              "config.amazonaws.com",
              "config.amazonaws.com",
              readParameters(c[0], c[1]),
              null,
              true);
        }
      }
    }

    // --- shared calls ---------------------------------------------------------------------

    void secretRead(Session s, long t, String ip, String ua, String secret, boolean console) {
      String arn = org.secretArns.get(secret);
      Map<String, Object> e =
          call(
              t,
              s.identity,
              s.account,
              "secretsmanager.amazonaws.com",
              "GetSecretValue",
              ip,
              ua,
              o("secretId", console ? arn : secret),
              null,
              true);
      if (console) {
        e.put("sessionCredentialFromConsole", "true");
      }
      count("secret values read (GetSecretValue)");
      Map<String, Object> d =
          call(
              t,
              s.via("secretsmanager.amazonaws.com"),
              s.account,
              "kms.amazonaws.com",
              "Decrypt",
              "secretsmanager.amazonaws.com",
              "secretsmanager.amazonaws.com",
              o(
                  "encryptionAlgorithm",
                  "SYMMETRIC_DEFAULT",
                  "encryptionContext",
                  o("SecretARN", arn, "SecretVersionId", uuidFor(secret))),
              null,
              true);
      d.put("resources", List.of(o("accountId", PROD, "type", "AWS::KMS::Key", "ARN", org.kmsKey)));
      count("KMS Decrypt and GenerateDataKey");
    }

    void parameterRead(Session s, long t, String ip, String ua, String name) {
      Map<String, Object> e =
          call(
              t,
              s.identity,
              s.account,
              "ssm.amazonaws.com",
              "GetParameter",
              ip,
              ua,
              o("name", name, "withDecryption", true),
              null,
              true);
      e.put("resources", parameterResources(List.of(name)));
      count("SSM parameters read with decryption");
      decryptParameter(s, t, name);
    }

    void decryptParameter(Session s, long t, String name) {
      Map<String, Object> d =
          call(
              t,
              s.via("AWS Internal"),
              s.account,
              "kms.amazonaws.com",
              "Decrypt",
              "AWS Internal",
              "AWS Internal",
              o(
                  "encryptionAlgorithm",
                  "SYMMETRIC_DEFAULT",
                  "encryptionContext",
                  o("PARAMETER_ARN", "arn:aws:ssm:" + REGION + ":" + PROD + ":parameter" + name)),
              null,
              true);
      d.put("resources", List.of(o("accountId", PROD, "type", "AWS::KMS::Key", "ARN", org.kmsKey)));
      count("KMS Decrypt and GenerateDataKey");
    }

    List<Object> parameterResources(List<String> names) {
      List<Object> resources = new ArrayList<>();
      for (String name : names) {
        resources.add(
            o(
                "accountId",
                PROD,
                "ARN",
                "arn:aws:ssm:" + REGION + ":" + PROD + ":parameter" + name));
      }
      return resources;
    }

    void serviceAssume(
        long t, String service, Role role, String session, String akid, int seconds, String acct) {
      Map<String, Object> e =
          call(
              t,
              o("type", "AWSService", "invokedBy", service),
              acct,
              "sts.amazonaws.com",
              "AssumeRole",
              service,
              service,
              o("roleArn", role.arn(), "roleSessionName", session),
              o(
                  "credentials", credentials(akid, t + seconds),
                  "assumedRoleUser",
                      o(
                          "assumedRoleId",
                          role.id() + ":" + session,
                          "arn",
                          role.sessionArn(session))),
              true);
      e.put(
          "resources", List.of(o("accountId", acct, "type", "AWS::IAM::Role", "ARN", role.arn())));
      e.put("sharedEventID", uuid(rnd));
    }

    void s3(
        Session s,
        long t,
        String ip,
        String ua,
        String name,
        String bucket,
        String key,
        boolean readOnly) {
      String host = bucket + ".s3." + REGION + ".amazonaws.com";
      Map<String, Object> req =
          key == null
              ? o("bucketName", bucket, "Host", host, "prefix", "inbound/")
              : o("bucketName", bucket, "Host", host, "key", key, "x-id", name);
      Map<String, Object> e =
          call(
              t,
              s.identity,
              s.account,
              "s3.amazonaws.com",
              name,
              ip,
              ua,
              req,
              name.equals("PutObject")
                  ? o(
                      "x-amz-server-side-encryption",
                      bucket.equals("acme-prod-invoices") ? "aws:kms" : "AES256")
                  : null,
              readOnly);
      e.put(
          "additionalEventData",
          o(
              "SignatureVersion",
              "SigV4",
              "CipherSuite",
              "TLS_AES_128_GCM_SHA256",
              "bytesTransferredIn",
              name.equals("PutObject") ? 20_000 + rnd.nextInt(2_000_000) : 0,
              "AuthenticationMethod",
              "AuthHeader",
              "x-amz-id-2",
              amzId(),
              "bytesTransferredOut",
              name.equals("GetObject") ? 20_000 + rnd.nextInt(2_000_000) : 0));
      List<Object> resources = new ArrayList<>();
      if (key != null) {
        resources.add(o("type", "AWS::S3::Object", "ARN", "arn:aws:s3:::" + bucket + "/" + key));
      }
      resources.add(
          o("accountId", PROD, "type", "AWS::S3::Bucket", "ARN", "arn:aws:s3:::" + bucket));
      e.put("resources", resources);
      e.put("managementEvent", false);
      e.put("eventCategory", "Data");
      e.put("requestID", upper(rnd, 16));
      count("S3 data events");
    }

    // --- the event ------------------------------------------------------------------------

    /** A CloudTrail event, recorded in this day's log; the caller may add fields to it. */
    Map<String, Object> call(
        long t,
        Map<String, Object> identity,
        String account,
        String source,
        String name,
        String ip,
        String ua,
        Object request,
        Object response,
        boolean readOnly) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("eventVersion", "1.10");
      e.put("userIdentity", identity);
      e.put("eventTime", iso(t));
      e.put("eventSource", source);
      e.put("eventName", name);
      e.put("awsRegion", REGION);
      e.put("sourceIPAddress", ip);
      e.put("userAgent", ua);
      e.put("requestParameters", request);
      e.put("responseElements", response);
      e.put("requestID", uuid(rnd));
      e.put("eventID", uuid(rnd));
      e.put("readOnly", readOnly);
      e.put("eventType", "AwsApiCall");
      e.put("managementEvent", true);
      e.put("recipientAccountId", account);
      e.put("eventCategory", "Management");
      if (!ip.endsWith(".amazonaws.com") && !ip.equals("AWS Internal")) {
        String host =
            source.equals("iam.amazonaws.com") || source.equals("s3.amazonaws.com")
                ? source
                : source.replace(".amazonaws.com", "." + REGION + ".amazonaws.com");
        String header =
            source.equals("signin.amazonaws.com") ? REGION + ".signin.aws.amazon.com" : host;
        e.put(
            "tlsDetails",
            org.tls.computeIfAbsent(
                header,
                h ->
                    freeze(
                        o(
                            "tlsVersion", "TLSv1.3",
                            "cipherSuite", "TLS_AES_128_GCM_SHA256",
                            "clientProvidedHostHeader", h))));
      }
      events.add(new Ev(t, account, activity, e));
      byActivity.merge(activity, 1, Integer::sum);
      return e;
    }

    String amzId() {
      byte[] bytes = new byte[57];
      rnd.nextBytes(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }

    Map<String, Object> freeze(Map<String, Object> map) {
      org.frozen.put(map, null);
      return map;
    }

    boolean busy(int hour) {
      return hour >= 7 && hour < 18;
    }

    void count(String kind) {
      count(kind, 1);
    }

    void count(String kind, int n) {
      if (!notable.containsKey(kind)) {
        throw new IllegalArgumentException(kind);
      }
      notable.merge(kind, n, Integer::sum);
    }

    <T> T pick(List<T> list) {
      return list.get(rnd.nextInt(list.size()));
    }

    Map<String, Object> credentials(String akid, long expires) {
      return o(
          "accessKeyId",
          akid,
          "sessionToken",
          "IQoJb3JpZ2luX2VjE" + upper(rnd, 96),
          "expiration",
          EXPIRATION.format(Instant.ofEpochSecond(expires)));
    }

    String uuidFor(String name) {
      Random r = new Random(name.hashCode());
      return uuid(r).toUpperCase(Locale.ROOT);
    }

    // --- writing --------------------------------------------------------------------------

    void write(Path dir, LocalDate date, List<Ev> sorted) throws IOException {
      Map<String, List<Ev>> files = new TreeMap<>();
      for (Ev ev : sorted) {
        long bucket = ev.time() - Math.floorMod(ev.time(), 300);
        Instant at = Instant.ofEpochSecond(bucket);
        String name =
            date
                + "/"
                + FOLDER.format(at)
                + "/"
                + ev.account()
                + "_CloudTrail_"
                + REGION
                + "_"
                + STAMP.format(at);
        files.computeIfAbsent(name, n -> new ArrayList<>()).add(ev);
      }
      StringBuilder b = new StringBuilder(1 << 20);
      for (Map.Entry<String, List<Ev>> file : files.entrySet()) {
        Path path = dir.resolve(file.getKey() + "_" + alnum(rnd, 16) + ".json");
        Files.createDirectories(path.getParent());
        b.setLength(0);
        b.append("{\"Records\":[");
        boolean first = true;
        for (Ev ev : file.getValue()) {
          if (!first) {
            b.append(',');
          }
          first = false;
          json(b, ev.body(), org.frozen);
        }
        b.append("]}");
        Files.write(path, b.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  // ----------------------------------------------------------------------------------------
  // Small helpers.

  private static Map<String, Object> assumed(
      Role r, String session, String akid, long created, boolean mfa, boolean ec2) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put(
        "sessionIssuer",
        o(
            "type", "Role",
            "principalId", r.id(),
            "arn", r.arn(),
            "accountId", r.account(),
            "userName", r.name()));
    context.put("webIdFederationData", o());
    context.put(
        "attributes", o("creationDate", iso(created), "mfaAuthenticated", mfa ? "true" : "false"));
    if (ec2) {
      context.put("ec2RoleDelivery", "2.0");
    }
    return o(
        "type",
        "AssumedRole",
        "principalId",
        r.id() + ":" + session,
        "arn",
        r.sessionArn(session),
        "accountId",
        r.account(),
        "accessKeyId",
        akid,
        "sessionContext",
        context);
  }

  /** A JSON object from keys and values, in order; values may be null. */
  private static Map<String, Object> o(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static String iso(long epochSecond) {
    long day = Math.floorDiv(epochSecond, 86400);
    int second = (int) (epochSecond - day * 86400);
    char[] time = {
      'T',
      (char) ('0' + second / 36000),
      (char) ('0' + second / 3600 % 10),
      ':',
      (char) ('0' + second % 3600 / 600),
      (char) ('0' + second % 3600 / 60 % 10),
      ':',
      (char) ('0' + second % 60 / 10),
      (char) ('0' + second % 10),
      'Z'
    };
    return LocalDate.ofEpochDay(day) + new String(time);
  }

  private static String kebab(String name) {
    return name.replaceAll("([a-z])([A-Z])", "$1-$2")
        .replaceAll("[0-9]+v?[0-9]*$", "")
        .toLowerCase(Locale.ROOT);
  }

  private static String hex(Random r, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(Character.forDigit(r.nextInt(16), 16));
    }
    return b.toString();
  }

  private static String upper(Random r, int n) {
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(chars.charAt(r.nextInt(chars.length())));
    }
    return b.toString();
  }

  private static String alnum(Random r, int n) {
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(chars.charAt(r.nextInt(chars.length())));
    }
    return b.toString();
  }

  private static String uuid(Random r) {
    long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }

  private static void json(StringBuilder b, Object value, Map<Object, String> frozen) {
    if (value == null) {
      b.append("null");
    } else if (value instanceof String s) {
      string(b, s);
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      b.append(value);
    } else if (value instanceof Double d) {
      b.append(d);
    } else if (value instanceof Map<?, ?> map && frozen.containsKey(map)) {
      String written = frozen.get(map);
      if (written == null) {
        int start = b.length();
        json(b, new LinkedHashMap<>(map), frozen);
        frozen.put(map, b.substring(start));
      } else {
        b.append(written);
      }
    } else if (value instanceof Map<?, ?> map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, (String) entry.getKey());
        b.append(':');
        json(b, entry.getValue(), frozen);
      }
      b.append('}');
    } else if (value instanceof List<?> list) {
      b.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        json(b, list.get(i), frozen);
      }
      b.append(']');
    } else {
      throw new IllegalArgumentException("not JSON: " + value.getClass());
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    boolean plain = true;
    for (int i = 0; i < s.length() && plain; i++) {
      char c = s.charAt(i);
      plain = c >= 0x20 && c != '"' && c != '\\';
    }
    if (plain) {
      b.append(s);
    } else {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
    }
    b.append('"');
  }
}
