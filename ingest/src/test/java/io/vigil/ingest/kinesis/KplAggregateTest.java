package io.vigil.ingest.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KplAggregateTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theUserRecordsComeOutInOrder() throws Exception {
    List<byte[]> records =
        List.of(utf8("{\"eventID\":\"a\"}"), utf8("{\"eventID\":\"b\"}"), new byte[300]);

    List<byte[]> unpacked = KplAggregate.unpack(KplAggregates.pack(records)).orElseThrow();

    assertThat(unpacked).hasSize(3);
    for (int i = 0; i < records.size(); i++) {
      assertThat(unpacked.get(i)).isEqualTo(records.get(i));
    }
  }

  @Test
  void recordsWithoutTheMagicBytesAreNotAggregates() throws Exception {
    assertThat(KplAggregate.unpack(utf8("{\"eventID\":\"a\"} and more than twenty bytes")))
        .isEmpty();
    assertThat(KplAggregate.unpack(new byte[3])).isEmpty();
  }

  @Test
  void aDigestThatDoesNotMatchMeansAnOrdinaryRecord() throws Exception {
    byte[] packed = KplAggregates.pack(List.of(utf8("x")));
    packed[packed.length - 1] ^= 1;

    assertThat(KplAggregate.unpack(packed)).isEmpty();
  }

  @Test
  void aMatchingDigestOverABrokenMessageIsAnErrorSayingWhere() throws Exception {
    byte[] packed = KplAggregates.pack(List.of(utf8("hello")));
    // Cut the message short and sign what is left, as a broken producer would.
    byte[] protobuf = Arrays.copyOfRange(packed, 4, packed.length - 16 - 2);
    byte[] broken = new byte[4 + protobuf.length + 16];
    System.arraycopy(packed, 0, broken, 0, 4);
    System.arraycopy(protobuf, 0, broken, 4, protobuf.length);
    System.arraycopy(
        java.security.MessageDigest.getInstance("MD5").digest(protobuf),
        0,
        broken,
        4 + protobuf.length,
        16);

    assertThatThrownBy(() -> KplAggregate.unpack(broken))
        .isInstanceOf(KplAggregate.MalformedAggregateException.class)
        .hasMessageContaining("runs past the message");
  }
}
