package dev.tollgate.engine.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 of a tool input in a canonical JSON form (object keys sorted at every level, no
 * whitespace), so that an approval is bound to exactly these arguments however they are formatted.
 * Lower-case hex, 64 digits.
 */
public final class ArgsDigest {

  private ArgsDigest() {}

  public static String of(JsonNode args) {
    StringBuilder canonical = new StringBuilder();
    write(args, canonical);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> it = sorted.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> entry = it.next();
        out.append(quote(entry.getKey())).append(':');
        write(entry.getValue(), out);
        if (it.hasNext()) {
          out.append(',');
        }
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else {
      // Scalars: Jackson's own JSON rendering (strings quoted and escaped, numbers as parsed).
      out.append(node.toString());
    }
  }

  private static String quote(String text) {
    return TextNode.valueOf(text).toString();
  }
}
