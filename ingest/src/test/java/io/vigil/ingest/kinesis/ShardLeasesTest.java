package io.vigil.ingest.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardLeasesTest {

  @Test
  void aShardIsLeasedByItsNumberSoConsecutiveShardsTakeConsecutiveLeases() {
    assertThat(ShardLeases.leaseOf("shardId-000000000000", 12)).isZero();
    assertThat(ShardLeases.leaseOf("shardId-000000000007", 12)).isEqualTo(7);
    assertThat(ShardLeases.leaseOf("shardId-000000000013", 12)).isEqualTo(1);
    assertThat(IntStream.range(0, 4).map(i -> ShardLeases.leaseOf("shardId-00000000000" + i, 12)))
        .containsExactly(0, 1, 2, 3);
  }

  @Test
  void aShardIdWithoutANumberStillGetsALeaseInRange() {
    for (String id :
        new String[] {"shard", "shard-", "shardId-x9", "-", "shardId-99999999999999999999"}) {
      assertThat(ShardLeases.leaseOf(id, 12)).as(id).isBetween(0, 11);
    }
  }
}
