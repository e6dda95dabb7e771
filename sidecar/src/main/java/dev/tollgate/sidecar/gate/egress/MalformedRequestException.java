package dev.tollgate.sidecar.gate.egress;

/** A request the gate refuses to read further: answered 400 with the message, and audited. */
final class MalformedRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  MalformedRequestException(String message) {
    super(message, null, false, false);
  }
}
