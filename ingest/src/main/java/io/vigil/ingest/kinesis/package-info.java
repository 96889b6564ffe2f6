/**
 * The Kinesis source: Vigil's own GetRecords loop (no KCL, no lease table). It lists a stream's
 * shards, reads each open shard with one reader, follows splits and merges (a child shard is read
 * only after its parents were read to the end and their checkpoints committed), and publishes each
 * GetRecords batch as one exactly-once unit whose checkpoint is the shard's last sequence number.
 *
 * <p>One {@link io.vigil.ingest.kinesis.KinesisSource} reads a stream; scale-out across processes
 * is not what this source does (it keeps no leases), Kafka's partitions do that downstream.
 */
package io.vigil.ingest.kinesis;
