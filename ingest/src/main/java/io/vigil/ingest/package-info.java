/** Sources (S3 via SQS, Kinesis, files), decoders and the exactly-once Kafka publisher. */
package io.vigil.ingest;
