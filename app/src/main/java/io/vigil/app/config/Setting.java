package io.vigil.app.config;

/** One name = value pair from one layer, before it is matched to a key and typed. */
record Setting(String name, RawValue value, Origin origin) {}
