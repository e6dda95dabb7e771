package dev.tollgate.engine.source;

/**
 * One thing wrong with the user's input, located as precisely as we can: the file (or other
 * origin), the object, and the field path ({@code spec.rules[2].when}).
 *
 * @param code what kind of problem it is, for programs to act on
 * @param origin where the object came from: a file path, or e.g. {@code admission}
 * @param object {@code Kind/namespace/name}, or empty when the object could not be identified
 * @param field the field path inside the object, or empty for the whole object
 * @param message what is wrong, for a human
 */
public record Problem(
    ProblemCode code, String origin, String object, String field, String message) {

  public static Problem of(ProblemCode code, SourceObject source, String field, String message) {
    return new Problem(code, source.origin(), source.ref().toString(), field, message);
  }

  /**
   * The same problem told without its origin, for a caller that knows where the object came from.
   */
  public Problem withoutOrigin() {
    return new Problem(code, "", object, field, message);
  }

  /** One line: {@code file: Kind/ns/name: field: message}, leaving out what is unknown. */
  @Override
  public String toString() {
    StringBuilder line = new StringBuilder();
    append(line, origin);
    append(line, object);
    append(line, field);
    line.append(message);
    return line.toString();
  }

  private static void append(StringBuilder line, String part) {
    if (part != null && !part.isEmpty()) {
      line.append(part).append(": ");
    }
  }
}
