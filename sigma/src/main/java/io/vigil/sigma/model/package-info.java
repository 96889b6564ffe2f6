/**
 * The rules as loaded: {@link io.vigil.sigma.model.SigmaRule} (a detection rule with its compiled
 * detection) and {@link io.vigil.sigma.model.SigmaCorrelation} (a correlation rule), which share
 * their {@link io.vigil.sigma.model.RuleMetadata}; what loading produced ({@link
 * io.vigil.sigma.model.LoadResult}, with a {@link io.vigil.sigma.model.RuleLoadException} for every
 * rule that did not load); and the {@link io.vigil.sigma.model.RuleSet} in force, which layers
 * results, resolves correlation references and finds the rules matching one event.
 */
package io.vigil.sigma.model;
