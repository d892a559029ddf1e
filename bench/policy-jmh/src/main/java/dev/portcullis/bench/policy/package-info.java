/** JMH benchmarks of policy evaluation: a typical route and one with twenty criteria. */
package dev.portcullis.bench.policy;
