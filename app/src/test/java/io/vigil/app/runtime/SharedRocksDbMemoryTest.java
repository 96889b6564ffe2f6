package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class SharedRocksDbMemoryTest {

  static {
    RocksDB.loadLibrary();
  }

  /** What Kafka Streams hands the setter: options whose table format is block based. */
  private static Options storeOptions() {
    Options options = new Options();
    options.setTableFormatConfig(new BlockBasedTableConfig());
    return options;
  }

  @Test
  void everyStoreSharesOneCacheAndOneMemtableBudget() {
    SharedRocksDbMemory setter = new SharedRocksDbMemory();
    Map<String, Object> configs = Map.of(SharedRocksDbMemory.BUDGET_BYTES, "16777216");
    try (Options dedup = storeOptions();
        Options alerts = storeOptions()) {
      setter.setConfig("dedup", dedup, configs);
      setter.setConfig("alerts", alerts, configs);

      assertThat(dedup.writeBufferManager()).isNotNull().isSameAs(alerts.writeBufferManager());
      BlockBasedTableConfig table = (BlockBasedTableConfig) dedup.tableFormatConfig();
      assertThat(table.cacheIndexAndFilterBlocks())
          .as("index and filter blocks count against the budget too")
          .isTrue();
      assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
      setter.close("dedup", dedup);
      setter.close("alerts", alerts);
    }
  }

  @Test
  void aStreamsAppWithoutABudgetKeepsKafkaStreamsDefaults() {
    try (Options options = storeOptions()) {
      new SharedRocksDbMemory().setConfig("store", options, Map.of());

      assertThat(options.writeBufferManager()).isNull();
      assertThat(((BlockBasedTableConfig) options.tableFormatConfig()).cacheIndexAndFilterBlocks())
          .isFalse();
    }
  }
}
