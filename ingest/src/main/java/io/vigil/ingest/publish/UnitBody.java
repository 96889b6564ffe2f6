package io.vigil.ingest.publish;

import io.vigil.ingest.decode.DecodeListener;
import java.io.IOException;

/** The work of one unit: decode its input into the given writer (a {@link DecodeListener}). */
@FunctionalInterface
public interface UnitBody {

  void writeTo(DecodeListener writer) throws IOException;
}
