package dev.tollgate.sidecar.gate.git;

/** The upstream repository could not be reached, refused the credential, or answered garbage. */
final class UpstreamGitException extends Exception {

  private static final long serialVersionUID = 1L;

  UpstreamGitException(String message, Throwable cause) {
    super(message, cause);
  }
}
