/**
 * What rules see of an event: an {@link io.vigil.sigma.event.EventView} gives the values at a
 * dotted {@link io.vigil.sigma.event.FieldPath}, the raw text, the time and a reference. {@link
 * io.vigil.sigma.event.JsonEventView} serves any JSON event; views of typed records live with those
 * records. Fields computed from an event rather than read from it are {@link
 * io.vigil.sigma.event.DerivedField}s, provided to the rule loader in a {@link
 * io.vigil.sigma.event.DerivedFields} registry.
 */
package io.vigil.sigma.event;
