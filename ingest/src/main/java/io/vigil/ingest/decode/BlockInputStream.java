package io.vigil.ingest.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream of the decoder that reads in blocks: its single-byte read goes through {@link
 * #read(byte[], int, int)}, the one place its logic lives.
 */
abstract class BlockInputStream extends InputStream {

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;
}
