/** Alert and aggregate delivery. */
package io.vigil.sinks;
