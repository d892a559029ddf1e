/**
 * What a finished request reports: the immutable {@link dev.portcullis.proxy.report.FinishedRequest}
 * that the access log and the metrics receive once its answer is complete or abandoned.
 */
package dev.portcullis.proxy.report;
