package dev.tollgate.sidecar.gate.mcp;

import java.io.IOException;

/** The upstream could not be used (down, too slow, garbage, missing credential). */
final class UpstreamException extends IOException {

  private static final long serialVersionUID = 1L;

  UpstreamException(String message) {
    super(message);
  }
}
