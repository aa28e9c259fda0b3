/**
 * Benchmarks of Larder against raw lmdbjava and its peers (Chronicle Map, H2 MVStore, MapDB,
 * SQLite, Ehcache, Caffeine), each peer behind {@link dev.larder.bench.BenchStore} and chosen by
 * {@link dev.larder.bench.StoreType}. JMH benchmarks ({@code GetPutBenchmark},
 * {@code PeerGetPutBenchmark}, {@code ChronicleGetPutBenchmark}, {@code StreamBenchmark},
 * {@code BulkLoadBenchmark}) and plain programs for what JMH cannot do (several processes on one
 * store, heap against key count, interleaved slices): {@code MultiProcessBench}, {@code ScaleRun},
 * {@code InterleavedRun}. Build with {@code mvn -q -pl larder-bench -am package -DskipTests}; run
 * everything with {@code larder-bench/run-peers.sh} or {@code run-core.sh}. Not part of the tests.
 */
package dev.larder.bench;
