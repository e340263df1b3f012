/** JMH benchmarks, one class per kernel or stage; run with {@code bench/run-jmh}. */
package io.auricle.bench;
