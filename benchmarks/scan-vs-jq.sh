#!/usr/bin/env bash
# End-to-end comparison of `vigil scan` (every built-in rule, correlations, suppression) with jq
# doing five of the same single-event matches, and with plain gunzip, on one large gzip CloudTrail
# file. Run from the project root after: ./mvnw -B -q -DskipTests package
# Usage: benchmarks/scan-vs-jq.sh [copies of the Invictus corpus, default 200 = 580,000 events]
set -euo pipefail
copies=${1:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -cp benchmarks/target/benchmarks.jar io.vigil.benchmarks.CloudTrailFileWriter "$work/ct.json.gz" "$copies"
ls -l "$work/ct.json.gz"
cat > "$work/filter.jq" <<'JQ'
.Records[] | select(
  (.userIdentity.type == "Root" and (.userIdentity.invokedBy == null) and .eventType != "AwsServiceEvent")
  or ((.eventName == "StopLogging" or .eventName == "DeleteTrail") and .eventSource == "cloudtrail.amazonaws.com")
  or (.eventName == "ConsoleLogin" and .userIdentity.type == "IAMUser" and .responseElements.ConsoleLogin == "Success"
      and ((.additionalEventData.MFAUsed // "") | ascii_downcase) != "yes")
  or (.eventSource == "kms.amazonaws.com" and (.eventName == "DisableKey" or .eventName == "ScheduleKeyDeletion"))
  or (.eventSource == "s3.amazonaws.com" and .eventName == "DeleteBucketEncryption")
) | .eventID
JQ
time_it() { local start end; start=$(date +%s.%N); "$@" > /dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
g=$(time_it sh -c "gunzip -c '$work/ct.json.gz'")
j=$(time_it sh -c "gunzip -c '$work/ct.json.gz' | jq -r -f '$work/filter.jq'")
v=$(time_it java -jar deploy/target/vigil.jar scan "$work/ct.json.gz")
echo "gunzip only:            $g s"
echo "jq (5 single-event):    $j s"
echo "vigil scan (all rules): $v s (JVM start included)"
echo "vigil scan / jq speed:  $(echo "scale=2; $j / $v" | bc)x"
