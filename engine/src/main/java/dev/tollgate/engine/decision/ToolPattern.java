package dev.tollgate.engine.decision;

/**
 * A tool-name pattern: {@code *} matches any run of characters, all else is literal, whole name.
 */
public final class ToolPattern {

  private final String pattern;
  private final String[] parts;

  private ToolPattern(String pattern) {
    this.pattern = pattern;
    this.parts = pattern.split("\\*", -1);
  }

  public static ToolPattern of(String pattern) {
    return new ToolPattern(pattern);
  }

  public boolean isLiteral() {
    return parts.length == 1;
  }

  public String pattern() {
    return pattern;
  }

  public boolean matches(String name) {
    if (parts.length == 1) {
      return pattern.equals(name);
    }
    String first = parts[0];
    String last = parts[parts.length - 1];
    if (name.length() < first.length() + last.length()
        || !name.startsWith(first)
        || !name.endsWith(last)) {
      return false;
    }
    int position = first.length();
    int end = name.length() - last.length();
    for (int i = 1; i < parts.length - 1; i++) {
      int found = name.indexOf(parts[i], position);
      if (found < 0 || found + parts[i].length() > end) {
        return false;
      }
      position = found + parts[i].length();
    }
    return true;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ToolPattern p && p.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
