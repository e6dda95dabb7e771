package dev.tollgate.runtime.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Operational logs as JSON lines: one object per record with time, level, logger, message and, when
 * there is one, the stack trace, so log collectors parse them without guessing.
 */
public final class JsonLogFormatter extends Formatter {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String format(LogRecord record) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", Instant.ofEpochMilli(record.getMillis()).toString());
    line.put("level", record.getLevel().getName());
    line.put("logger", record.getLoggerName());
    line.put("message", formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("error", trace.toString());
    }
    return line.toString() + System.lineSeparator();
  }
}
