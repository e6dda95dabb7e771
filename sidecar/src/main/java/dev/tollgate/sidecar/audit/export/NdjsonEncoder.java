package dev.tollgate.sidecar.audit.export;

import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.JsonLinesAuditSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** JSON lines, each record exactly as the sidecar writes it to stdout. */
final class NdjsonEncoder implements BatchEncoder {

  @Override
  public String contentType() {
    return "application/x-ndjson";
  }

  @Override
  public byte[] encode(List<AuditEvent> batch) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(batch.size() * 512);
    for (AuditEvent event : batch) {
      body.write(JsonLinesAuditSink.toJsonBytes(event));
      body.write('\n');
    }
    return body.toByteArray();
  }
}
