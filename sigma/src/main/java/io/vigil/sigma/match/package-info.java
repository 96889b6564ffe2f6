/**
 * Compiled detections: a tree of {@link io.vigil.sigma.match.DetectionNode}s (and, or, not,
 * quantifiers) over field tests, and the {@link io.vigil.sigma.match.ValueMatcher}s of single
 * values (wildcard texts, regular expressions, networks, numbers). Everything a rule spells is
 * prepared when it loads, so that matching an event parses no rule text.
 */
package io.vigil.sigma.match;
