package dev.tollgate.sidecar.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in tool inputs before they reach an audit line or an approval summary: values of
 * secret-looking keys, {@code Authorization} values, {@code --password=} style flags, secret
 * environment assignments, credentials in URLs and well-known token shapes. Long strings and large
 * structures are cut so one line stays bounded. It errs towards masking too much.
 */
public final class Redactor {

  public static final String MASK = "[REDACTED]";
  private static final int MAX_STRING = 512;
  private static final int MAX_ITEMS = 50;
  private static final int MAX_DEPTH = 8;

  /** A command-line flag whose next word is a secret. */
  /** Flags whose value is a secret, in free text ({@code --token=x}) and in word lists. */
  private static final String SECRET_FLAG_NAMES =
      "password|passwd|pass|token|secret|api-key|apikey|access-key|auth|client-secret";

  /**
   * A command-line word after which the next word is a secret; in word lists also {@code -u} and
   * {@code --user} ({@code user:password}) and {@code -p}.
   */
  private static final Pattern SECRET_FLAG =
      Pattern.compile("(?i)--?(?:" + SECRET_FLAG_NAMES + "|user|u|p)");

  private static final Pattern SECRET_KEY =
      Pattern.compile(
          "(?i).*(passw(or)?d|passwd|secret|token|api[-_]?key|authorization|credential|private[-_]?key|cookie|access[-_]?key|session[-_]?key).*|(?i)auth|pwd");

  // Each pattern comes with the lowercase words that any match must contain. Nearly every string
  // an agent sends holds none of them, and a substring search is far cheaper than running fourteen
  // regular expressions over it; the profile had redaction as a third of a decision's cost. The
  // (?i) patterns fold ASCII case only, so a lowercase copy of the text keeps every trigger.
  private static final List<Replacement> REPLACEMENTS =
      List.of(
          new Replacement(
              "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)",
              MASK,
              "-----begin"),
          new Replacement(
              "(?i)(authorization\\s*[:=]\\s*)(?:(?:bearer|basic|token|bot)\\s+)?[^\\s'\"]+",
              "$1" + MASK,
              "authorization"),
          new Replacement(
              "(?i)((?:x-api-key|api-key|x-auth-token|private-token|cookie)\\s*[:=]\\s*)[^\\s'\"]+",
              "$1" + MASK,
              "api-key",
              "auth-token",
              "private-token",
              "cookie"),
          new Replacement(
              "(?i)((?:^|\\s)--?(?:" + SECRET_FLAG_NAMES + ")(?:=|\\s+))[^\\s'\"]+",
              "$1" + MASK,
              "-pass",
              "-token",
              "-secret",
              "-api-key",
              "-apikey",
              "-access-key",
              "-auth",
              "-client-secret"),
          new Replacement(
              "(?i)\\b([A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|ACCESS_KEY|PRIVATE_KEY)[A-Z0-9_]*=)[^\\s'\"]+",
              "$1" + MASK,
              "passwd",
              "password",
              "secret",
              "token",
              "api_key",
              "apikey",
              "access_key",
              "private_key"),
          new Replacement("((?:^|\\s)(?:-u|--user)\\s+)[^\\s:'\"]+:[^\\s'\"]+", "$1" + MASK, "-u"),
          // One slash too: a URL argument made into a path has its "//" collapsed.
          new Replacement("([a-zA-Z][a-zA-Z0-9+.-]*:/{1,2})[^/\\s@'\"]+@", "$1" + MASK + "@", ":/"),
          new Replacement(
              "\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}",
              MASK,
              "ghp_",
              "gho_",
              "ghu_",
              "ghs_",
              "ghr_"),
          new Replacement("\\bgithub_pat_[A-Za-z0-9_]{20,}", MASK, "github_pat_"),
          new Replacement("\\bsk-(?:ant-)?[A-Za-z0-9_-]{20,}", MASK, "sk-"),
          new Replacement("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b", MASK, "akia", "asia"),
          new Replacement("\\bxox[abposr]-[A-Za-z0-9-]{10,}", MASK, "xox"),
          new Replacement("\\bglpat-[A-Za-z0-9_-]{20,}", MASK, "glpat-"),
          new Replacement(
              "\\beyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}", MASK, "eyj"));

  /** A redacted, bounded copy of a JSON value. */
  public JsonNode redact(JsonNode value) {
    return redact(value, 0);
  }

  /**
   * A redacted copy of a derived resource (its command, URL, parsed commands and their arguments
   * may carry secrets), nested maps and lists included.
   */
  public Map<String, Object> redact(Map<String, Object> resource) {
    return redactMap(resource, 0);
  }

  private Map<String, Object> redactMap(Map<?, ?> map, int depth) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(String.valueOf(key), redactValue(value, depth + 1)));
    return copy;
  }

  private Object redactValue(Object value, int depth) {
    if (value instanceof String text) {
      return redactText(text);
    }
    if (depth >= MAX_DEPTH && (value instanceof Map<?, ?> || value instanceof List<?>)) {
      return "…(nested too deep)";
    }
    if (value instanceof Map<?, ?> map) {
      return redactMap(map, depth);
    }
    if (value instanceof List<?> list) {
      return redactList(list, depth);
    }
    return value;
  }

  /**
   * A list item by item. In a list of words (a command's arguments) a secret may stand alone after
   * the flag that names it ({@code --password s3cr3t}, {@code -u user:pass}), where no pattern over
   * the single word sees it: such a word is masked for its predecessor.
   */
  private List<Object> redactList(List<?> list, int depth) {
    List<Object> items = new ArrayList<>();
    Object previous = null;
    for (Object item : list) {
      if (items.size() == MAX_ITEMS) {
        items.add("…(" + (list.size() - MAX_ITEMS) + " more)");
        break;
      }
      boolean afterSecretFlag =
          previous instanceof String flag && SECRET_FLAG.matcher(flag).matches();
      items.add(afterSecretFlag && item instanceof String ? MASK : redactValue(item, depth + 1));
      previous = item;
    }
    return items;
  }

  /** Masks secrets inside free text and bounds its length. */
  public String redactText(String text) {
    return bounded(mask(text, false));
  }

  /** {@link #redactText} without the trigger pre-check; tests hold the two to the same answers. */
  String redactTextExhaustively(String text) {
    return bounded(mask(text, true));
  }

  private static String mask(String text, boolean exhaustive) {
    String result = text;
    String lower = text.toLowerCase(Locale.ROOT);
    for (Replacement replacement : REPLACEMENTS) {
      if (exhaustive || replacement.mayMatch(lower)) {
        String masked = replacement.apply(result);
        if (masked != result) {
          result = masked;
          lower = result.toLowerCase(Locale.ROOT);
        }
      }
    }
    return result;
  }

  private static String bounded(String result) {
    if (result.length() > MAX_STRING) {
      result =
          result.substring(0, MAX_STRING)
              + "…("
              + (result.length() - MAX_STRING)
              + " more characters)";
    }
    return result;
  }

  private JsonNode redact(JsonNode value, int depth) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (value == null || value.isNull() || value.isMissingNode()) {
      return nodes.nullNode();
    }
    if (depth >= MAX_DEPTH && value.isContainerNode()) {
      return nodes.textNode("…(nested too deep)");
    }
    if (value.isObject()) {
      ObjectNode copy = nodes.objectNode();
      int count = 0;
      var fields = value.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        if (++count > MAX_ITEMS) {
          copy.put("…", (value.size() - MAX_ITEMS) + " more fields");
          break;
        }
        if (SECRET_KEY.matcher(field.getKey().toLowerCase(Locale.ROOT)).matches()
            && !field.getValue().isContainerNode()) {
          copy.put(field.getKey(), MASK);
        } else {
          copy.set(field.getKey(), redact(field.getValue(), depth + 1));
        }
      }
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = nodes.arrayNode();
      for (int i = 0; i < value.size(); i++) {
        if (i == MAX_ITEMS) {
          copy.add("…(" + (value.size() - MAX_ITEMS) + " more items)");
          break;
        }
        copy.add(redact(value.get(i), depth + 1));
      }
      return copy;
    }
    if (value.isTextual()) {
      return nodes.textNode(redactText(value.asText()));
    }
    return value;
  }

  private record Replacement(Pattern pattern, String replacement, List<String> triggers) {
    Replacement(String regex, String replacement, String... triggers) {
      this(Pattern.compile(regex), replacement, List.of(triggers));
    }

    boolean mayMatch(String lowercaseText) {
      for (String trigger : triggers) {
        if (lowercaseText.contains(trigger)) {
          return true;
        }
      }
      return false;
    }

    String apply(String text) {
      Matcher matcher = pattern.matcher(text);
      return matcher.find() ? matcher.replaceAll(replacement) : text;
    }
  }
}
