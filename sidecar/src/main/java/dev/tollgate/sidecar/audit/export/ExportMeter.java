package dev.tollgate.sidecar.audit.export;

/** Counts what the audit export delivered and what it could not (the sidecar's metrics). */
public interface ExportMeter {

  /** {@code records} reached the receiver. */
  void exported(int records);

  /** {@code records} will never reach the receiver, for {@code reason}. */
  void undeliverable(Failure reason, int records);

  /** Why records were not delivered: a fixed set, so the metric's series stay few. */
  enum Failure {
    /** The buffer was full: the oldest record was dropped from the export (stdout has it). */
    BUFFER_FULL("buffer_full"),
    /** The receiver refused the batch (a 4xx other than 429, or a redirect): not retried. */
    REJECTED("rejected"),
    /** The receiver answered 429 or 5xx on every attempt. */
    SERVER_ERROR("server_error"),
    /** No answer on any attempt: refused, reset, timed out. */
    UNREACHABLE("unreachable"),
    /** Still buffered when the sidecar stopped and the last attempt did not deliver them. */
    SHUTDOWN("shutdown"),
    /** The batch could not be encoded. */
    ENCODING("encoding");

    public final String wireName;

    Failure(String wireName) {
      this.wireName = wireName;
    }
  }
}
