package dev.tollgate.engine.hook;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How every request body that carries a tool call is read (hooks, AuthZEN, MCP, {@code tollgate
 * eval}). A key given twice ({@code {"file_path": "a", "file_path": "b"}}) or text after the value
 * is refused rather than resolved: parsers disagree on which duplicate wins, and the decision must
 * be about the value the tool will use.
 */
public final class RequestJson {

  /** Thread-safe once built; also fine for writing answers. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private RequestJson() {}
}
