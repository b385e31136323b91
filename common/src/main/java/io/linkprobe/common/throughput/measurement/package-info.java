/**
 * What both ends measure with: the sending and receiving data streams and their payload, goodput
 * counting in intervals, the early-stop stability rule and steady rate, kernel TCP_INFO, and the
 * bufferbloat grade.
 */
package io.linkprobe.common.throughput.measurement;
