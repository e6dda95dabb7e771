package dev.tollgate.webhook.http;

/** Told the outcome and latency of every admission request (metrics listen). */
@FunctionalInterface
public interface AdmissionObserver {

  /**
   * @param outcome allowed, patched, denied, malformed, too_large or error
   */
  void observe(String path, String outcome, long nanos);
}
