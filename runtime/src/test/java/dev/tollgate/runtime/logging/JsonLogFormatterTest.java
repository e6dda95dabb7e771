package dev.tollgate.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {

  @Test
  void writesOneJsonObjectPerRecordWithTheTrace() throws Exception {
    LogRecord record = new LogRecord(Level.WARNING, "bundle {0} \"rejected\"\nsecond line");
    record.setParameters(new Object[] {"abc"});
    record.setLoggerName("dev.tollgate.test");
    record.setThrown(new IllegalStateException("boom"));

    String line = new JsonLogFormatter().format(record);

    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("WARNING");
    assertThat(json.path("logger").asText()).isEqualTo("dev.tollgate.test");
    assertThat(json.path("message").asText()).isEqualTo("bundle abc \"rejected\"\nsecond line");
    assertThat(json.path("error").asText()).startsWith("java.lang.IllegalStateException: boom");
    assertThat(json.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }
}
