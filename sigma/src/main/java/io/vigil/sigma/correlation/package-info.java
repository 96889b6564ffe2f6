/**
 * Correlation rules over time: what a correlation keeps of a matching event ({@link
 * io.vigil.sigma.correlation.CorrelationInput}, keyed by its {@link
 * io.vigil.sigma.correlation.GroupKey}), and the {@link
 * io.vigil.sigma.correlation.CorrelationEvaluator}, pure functions over a serialisable {@link
 * io.vigil.sigma.correlation.CorrelationState} per group, on event time with a grace period, that
 * say when a window fires ({@link io.vigil.sigma.correlation.CorrelationFiring}). The caller keeps
 * the state: a Kafka Streams store, or a map in an offline scan.
 */
package io.vigil.sigma.correlation;
