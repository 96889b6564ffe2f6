#!/usr/bin/env bash
# End-to-end comparison of `vigil scan` (every built-in rule, correlations, suppression) with jq
# doing five of the same single-event matches, and with plain gunzip, on the same CloudTrail events
# in two shapes: one large gzip file, and many small gzip files (one per corpus file and copy, as a
# directory synced from a trail's S3 bucket looks). vigil scan runs on one thread (--threads 1) and
# on every processor (the default); the script checks that both print the same alerts.
# Run from the project root after: ./mvnw -B -q -pl deploy,benchmarks -am package -DskipTests
# Usage: benchmarks/scan-vs-jq.sh [copies of the Invictus corpus, default 200 = 580,000 events]
#                                 [single|many|both, default both]
set -euo pipefail
copies=${1:-200}
shapes=${2:-both}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench() { java -cp benchmarks/target/benchmarks.jar io.vigil.benchmarks.CloudTrailFileWriter "$@"; }
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
# time_it OUT ERR COMMAND...: runs COMMAND with stdout to OUT and stderr to ERR, prints the seconds.
time_it() {
  local out=$1 err=$2 start end
  shift 2
  start=$(date +%s.%N)
  "$@" > "$out" 2> "$err"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
# compare LABEL LIST PATH: gunzip and jq over the files named in LIST (one a line), vigil scan
# --threads 1 and vigil scan on every processor over PATH (the same files).
compare() {
  local label=$1 list=$2
  shift 2
  local bytes
  bytes=$(xargs -d '\n' stat -c %s < "$list" | awk '{ s += $1 } END { print s }')
  echo "== $label: $(wc -l < "$list") file(s), $bytes bytes gzip; $(nproc) processors, load $(cut -d' ' -f1-3 /proc/loadavg)"
  local g j v1 vn
  g=$(time_it /dev/null /dev/null sh -c "xargs -d '\n' gunzip -c < '$list'")
  j=$(time_it /dev/null /dev/null sh -c "xargs -d '\n' gunzip -c < '$list' | jq -r -f '$work/filter.jq'")
  v1=$(time_it "$work/scan1.out" "$work/scan1.err" java -jar deploy/target/vigil.jar scan --threads 1 "$@")
  vn=$(time_it "$work/scanN.out" "$work/scanN.err" java -jar deploy/target/vigil.jar scan "$@")
  echo "gunzip only:                        $g s"
  echo "jq (5 single-event):                $j s"
  echo "vigil scan --threads 1 (all rules): $v1 s (JVM start included)"
  echo "vigil scan, $(nproc) threads (all rules):  $vn s"
  echo "  1 thread:  $(tail -1 "$work/scan1.err")"
  echo "  $(nproc) threads: $(tail -1 "$work/scanN.err")"
  if cmp -s "$work/scan1.out" "$work/scanN.out"; then
    echo "  same alerts on 1 and $(nproc) threads ($(wc -l < "$work/scanN.out") lines)"
  else
    echo "  DIFFERENT alerts on 1 and $(nproc) threads" >&2
    exit 1
  fi
  echo "parallel / sequential speed:        $(echo "scale=2; $v1 / $vn" | bc)x"
  echo "vigil scan / jq speed:              $(echo "scale=2; $j / $vn" | bc)x"
  echo "vigil scan time / gunzip time:      $(echo "scale=2; $vn / $g" | bc)"
}
if [ "$shapes" = single ] || [ "$shapes" = both ]; then
  bench "$work/ct.json.gz" "$copies"
  echo "$work/ct.json.gz" > "$work/single.list"
  compare "one large file" "$work/single.list" "$work/ct.json.gz"
  rm -f "$work/ct.json.gz"
fi
if [ "$shapes" = many ] || [ "$shapes" = both ]; then
  bench --files "$work/dump" "$copies"
  find "$work/dump" -name '*.gz' | LC_ALL=C sort > "$work/many.list"
  # vigil scan is given the directory (it walks it in name order); gunzip and jq the same files.
  compare "many small files" "$work/many.list" "$work/dump"
fi
