/**
 * From YAML to rules: {@link io.vigil.sigma.parse.SigmaRuleLoader} reads Sigma rules and
 * correlation rules from files, directories, classpath folders or text, compiles each detection's
 * selections ({@code field|modifier: values}) and condition into matchers once, and reports every
 * problem with its file and line instead of skipping the rule.
 *
 * <p>The loader is given the {@code %placeholder%} values for the {@code expand} modifier and the
 * {@link io.vigil.sigma.event.DerivedFields} rules may name.
 */
package io.vigil.sigma.parse;
