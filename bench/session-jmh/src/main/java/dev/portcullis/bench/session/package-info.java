/** JMH benchmarks of opening the sealed session cookie that every signed-in request carries. */
package dev.portcullis.bench.session;
