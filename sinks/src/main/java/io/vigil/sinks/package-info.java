/**
 * Alert delivery. {@link io.vigil.sinks.SinkDefinitions#parse} reads the {@code sinks:} list of the
 * configuration, {@link io.vigil.sinks.SinksService#start} runs one {@link
 * io.vigil.sinks.delivery.SinkRunner} per sink (own consumer group, own thread, at-least-once with
 * commit-after-delivery, bounded retries, dead letters), and the sinks themselves live in {@code
 * stdout}, {@code http} (webhook, PagerDuty, Slack, Splunk HEC), {@code kafka} and {@code archive}
 * (S3); {@code render} holds the OCSF and ASFF renderings.
 */
package io.vigil.sinks;
