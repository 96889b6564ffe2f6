/**
 * Audit-ready compliance reports. {@link io.vigil.reports.Framework} loads a framework's control
 * mapping ({@code frameworks/<id>.yml}: the controls Vigil evaluates, cited to the framework's
 * sections and tied to the rules whose compliance tags name them, and the controls it does not
 * evaluate, with reasons). {@link io.vigil.reports.ComplianceReportBuilder} turns the alerts of
 * {@code vigil.alerts} and the resource states of {@code vigil.posture} over a period into a {@link
 * io.vigil.reports.ComplianceReport}, which {@link io.vigil.reports.ReportRenderer}s write as JSON,
 * printable HTML or PDF. Reading the topics and serving the report are the callers' part ({@code
 * vigil report}, {@code /api/reports/{framework}}).
 */
package io.vigil.reports;
