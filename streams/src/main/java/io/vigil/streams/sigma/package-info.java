/**
 * Vigil's Sigma engine: pure Java, no Kafka.
 *
 * <ul>
 *   <li>{@link io.vigil.streams.sigma.SigmaRuleLoader} reads Sigma rules and correlation rules
 *       from files, directories, classpath folders or text into a
 *       {@link io.vigil.streams.sigma.LoadResult} (rules, correlations, every load error with its
 *       file and line).
 *   <li>{@link io.vigil.streams.sigma.RuleSet} layers results (built-ins, then user directories
 *       overriding by id, minus disabled ids), resolves correlation references and answers
 *       {@link io.vigil.streams.sigma.RuleSet#matching(EventView)} for one event.
 *   <li>{@link io.vigil.streams.sigma.EventView} is what rules see of an event:
 *       {@link io.vigil.streams.sigma.CloudTrailEventView},
 *       {@link io.vigil.streams.sigma.FlowRecordView} and
 *       {@link io.vigil.streams.sigma.JsonEventView}.
 *   <li>{@link io.vigil.streams.sigma.CorrelationEvaluator} evaluates a
 *       {@link io.vigil.streams.sigma.SigmaCorrelation} per group key over a serialisable
 *       {@link io.vigil.streams.sigma.CorrelationState}, on event time with a grace period.
 * </ul>
 */
package io.vigil.streams.sigma;
