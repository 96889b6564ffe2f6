package io.vigil.ingest.publish;

import java.io.IOException;

import io.vigil.ingest.decode.DecodeListener;

/** The work of one unit: decode its input into the given writer (a {@link DecodeListener}). */
@FunctionalInterface
public interface UnitBody {

  void writeTo(DecodeListener writer) throws IOException;
}
