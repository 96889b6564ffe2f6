package io.vigil.app.runtime;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * One memory budget for every RocksDB store of the process ({@code streams.rocksdb.memory.bytes}):
 * block cache, index and filter blocks and memtables all count against one shared cache. Left to
 * Kafka Streams' defaults, each store instance (one per store, partition and, for window stores,
 * segment) takes its own block cache and up to three 16 MB memtables, so the off-heap memory of
 * {@code vigil run} grows with partitions and windows and is bounded by nothing.
 *
 * <p>Kafka Streams creates the setter per store by its class name, so the shared cache is static:
 * made by the first store to open, with the budget that store's configuration carries; every {@code
 * vigil run} configures every application with the same budget.
 */
public final class SharedRocksDbMemory implements RocksDBConfigSetter {

  /** The Streams property carrying the budget, in bytes. */
  public static final String BUDGET_BYTES = "vigil.rocksdb.memory.bytes";

  // A quarter of the budget may hold memtables; the rest holds blocks read from the files.
  private static final double MEMTABLE_SHARE = 0.25;
  // Index and filter blocks get priority in the cache: evicting them makes every read two.
  private static final double HIGH_PRIORITY_SHARE = 0.1;

  private static Cache cache;
  private static WriteBufferManager writeBuffers;

  private static synchronized void ensureCreated(long budget) {
    if (cache == null) {
      cache = new LRUCache(budget, -1, false, HIGH_PRIORITY_SHARE);
      writeBuffers = new WriteBufferManager((long) (budget * MEMTABLE_SHARE), cache);
    }
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Object budget = configs.get(BUDGET_BYTES);
    if (budget == null) {
      return; // not configured (a test's own Streams app): Kafka Streams' defaults
    }
    ensureCreated(Long.parseLong(budget.toString()));
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(cache);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(writeBuffers);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write buffer manager are shared by every store: never closed by one.
  }
}
