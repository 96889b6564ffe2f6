package io.vigil.ingest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3KeyLayoutTest {

  private static final LocalDate JAN_15 = LocalDate.of(2024, 1, 15);

  @Test
  void everyDocumentedLayoutIsDated() {
    List<String> keys =
        List.of(
            // CloudTrail, organization trail, Insights, behind a custom prefix
            "AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/15/"
                + "123456789012_CloudTrail_us-east-1_20240115T1005Z_Mu0KsOhtH1ar15ZZ.json.gz",
            "AWSLogs/o-exampleorgid/123456789012/CloudTrail/us-east-1/2024/01/15/x.json.gz",
            "AWSLogs/123456789012/CloudTrail-Insight/us-east-1/2024/01/15/x.json.gz",
            "my/custom/prefix/AWSLogs/123456789012/CloudTrail/ap-southeast-2/2024/01/15/x.json.gz",
            // VPC flow logs: default, hourly, Hive-compatible, Hive-compatible hourly
            "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/01/15/"
                + "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20240115T1005Z_fe123456.log.gz",
            "AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/01/15/10/f.log.gz",
            "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/"
                + "year=2024/month=01/day=15/f.log.gz",
            "flows/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
                + "aws-region=us-gov-west-1/year=2024/month=01/day=15/hour=10/f.log.gz",
            // Folders of no known layout, AWS's file name
            "copied/2023-12/123456789012_CloudTrail_eu-west-1_20240115T2355Z_abcdefghijklmnop.json.gz",
            "copied/123456789012_vpcflowlogs_eu-west-1_fl-0a1b2c3d_20240115T0000Z_0123abcd.log.gz");

    assertThat(keys).allSatisfy(k -> assertThat(S3KeyLayout.date(k)).as(k).contains(JAN_15));
  }

  @Test
  void keysOfNoKnownLayoutHaveNoDate() {
    assertThat(S3KeyLayout.date("elb/2024/01/15/x.log")).isEmpty();
    assertThat(S3KeyLayout.date("flows/2024-01-15/f.log.gz")).isEmpty();
    assertThat(S3KeyLayout.date("AWSLogs/123456789012/CloudTrail/us-east-1/2024/13/15/x"))
        .isEmpty();
    assertThat(
            S3KeyLayout.date(
                "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/"
                    + "year=2024/month=02/day=30/f.log.gz"))
        .isEmpty();
  }

  @Test
  void theRegionComesFromTheRegionFolderOrTheFileName() {
    assertThat(S3KeyLayout.region("AWSLogs/123456789012/vpcflowlogs/eu-west-3/2024/01/15/f.log.gz"))
        .contains("eu-west-3");
    assertThat(
            S3KeyLayout.region(
                "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
                    + "aws-region=ap-northeast-1/year=2024/month=01/day=15/hour=03/f.log.gz"))
        .contains("ap-northeast-1");
    assertThat(
            S3KeyLayout.region(
                "x/123456789012_vpcflowlogs_ca-central-1_fl-1_20240115T0000Z_0123abcd.log.gz"))
        .contains("ca-central-1");
    assertThat(S3KeyLayout.region("flows/f.log.gz")).isEmpty();
  }

  @Test
  void dateFoldersNameTheDaysTheyHold() {
    String region = "p/AWSLogs/123456789012/vpcflowlogs/us-east-1/";
    assertThat(S3KeyLayout.dateFolder(region)).contains(new S3KeyLayout.DateFolder(null, null));
    assertThat(S3KeyLayout.dateFolder(region + "2024/"))
        .contains(new S3KeyLayout.DateFolder(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)));
    assertThat(S3KeyLayout.dateFolder(region + "2024/02/"))
        .contains(new S3KeyLayout.DateFolder(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29)));
    assertThat(S3KeyLayout.dateFolder(region + "2024/01/15/"))
        .hasValueSatisfying(
            f -> {
              assertThat(f.isDay()).isTrue();
              assertThat(f.first()).isEqualTo(JAN_15);
            });
    assertThat(S3KeyLayout.dateFolder(region + "2024/01/15/10/").map(S3KeyLayout.DateFolder::first))
        .contains(JAN_15);
    String hive =
        "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/";
    assertThat(S3KeyLayout.dateFolder(hive + "year=2024/month=01/"))
        .contains(new S3KeyLayout.DateFolder(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31)));
    assertThat(
            S3KeyLayout.dateFolder(hive + "year=2024/month=01/day=15/hour=10/")
                .map(S3KeyLayout.DateFolder::isDay))
        .contains(true);
    assertThat(S3KeyLayout.dateFolder("AWSLogs/123456789012/")).isEmpty();
    assertThat(S3KeyLayout.dateFolder("elb/2024/")).isEmpty();

    S3KeyLayout.DateFolder january = S3KeyLayout.dateFolder(region + "2024/01/").orElseThrow();
    assertThat(january.overlaps(JAN_15, JAN_15)).isTrue();
    assertThat(january.overlaps(LocalDate.of(2024, 2, 1), null)).isFalse();
    assertThat(january.overlaps(null, LocalDate.of(2023, 12, 31))).isFalse();
  }

  @Test
  void aFilterOfALogTypeTakesOnlyKeysOfThatTypeWhereTheKeyTells() {
    S3KeyFilter flows = new S3KeyFilter("vpcflow", "AWSLogs/", "");
    S3KeyFilter anyType = S3KeyFilter.of("AWSLogs/", "");

    assertThat(flows.matches("AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/01/15/f.log.gz"))
        .isTrue();
    assertThat(flows.matches("AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/15/x.json.gz"))
        .isFalse();
    assertThat(flows.matches("AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/01/15/x"))
        .isFalse();
    assertThat(flows.matches("AWSLogs/exported/f.log.gz")).isTrue();
    assertThat(anyType.matches("AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/15/x.json.gz"))
        .isTrue();
    assertThat(S3KeyFilter.mayAcceptUnder(List.of(flows), "AWS")).isTrue();
    assertThat(S3KeyFilter.mayAcceptUnder(List.of(flows), "AWSLogs/123/")).isTrue();
    assertThat(S3KeyFilter.mayAcceptUnder(List.of(flows), "elb/")).isFalse();
  }
}
