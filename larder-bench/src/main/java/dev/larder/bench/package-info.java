/**
 * JMH benchmarks of Larder against raw lmdbjava, each peer behind {@link
 * dev.larder.bench.BenchStore} and chosen by {@link dev.larder.bench.StoreType}. Build with {@code
 * mvn -q -pl larder-bench -am package -DskipTests}; run with {@code java -jar
 * larder-bench/target/benchmarks.jar}. Not part of the tests.
 */
package dev.larder.bench;
