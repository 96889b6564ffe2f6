package io.vigil.ingest.decode;

/**
 * What one {@link LogDecoder#decode} call did: the format it recognised, the records it passed on,
 * the ones it rejected, and the bytes it read before and after decompression.
 */
public record DecodeSummary(
    LogFormat format, long records, long rejected, long compressedBytes, long decompressedBytes) {}
