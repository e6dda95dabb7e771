package dev.tollgate.sidecar.audit.export;

import java.io.IOException;
import java.util.List;

/** Turns a batch of audit lines (each record's JSON, as on stdout) into one request body. */
interface BatchEncoder {

  String contentType();

  byte[] encode(List<byte[]> batch) throws IOException;

  /** How many records of a batch a successful answer says were refused all the same. */
  default int rejectedIn(byte[] answer) {
    return 0;
  }
}
