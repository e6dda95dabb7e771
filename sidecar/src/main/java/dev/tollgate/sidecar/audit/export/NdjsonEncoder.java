package dev.tollgate.sidecar.audit.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** JSON lines, each record the very bytes the sidecar wrote to stdout. */
final class NdjsonEncoder implements BatchEncoder {

  @Override
  public String contentType() {
    return "application/x-ndjson";
  }

  @Override
  public byte[] encode(List<byte[]> batch) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(batch.size() * 512);
    for (byte[] line : batch) {
      body.write(line);
      body.write('\n');
    }
    return body.toByteArray();
  }
}
