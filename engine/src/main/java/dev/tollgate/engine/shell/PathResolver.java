package dev.tollgate.engine.shell;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Makes a path absolute and normal the way {@code decision.FilePath} does for file tools (that
 * class is package-private to the decision package): relative paths against the tracked working
 * directory, {@code .} and {@code ..} collapsed, never above the root.
 */
final class PathResolver {

  private PathResolver() {}

  /**
   * The absolute path, or null when {@code path} is relative and the working directory is unknown
   * (null).
   */
  static String resolve(String path, String cwd, String home) {
    String absolute;
    if (path.equals("~") || path.startsWith("~/")) {
      absolute = home + "/" + path.substring(1);
    } else if (path.startsWith("/")) {
      absolute = path;
    } else if (cwd == null) {
      return null;
    } else {
      absolute = cwd + "/" + path;
    }
    return normalize(absolute);
  }

  static String normalize(String path) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    return segments.isEmpty() ? "/" : "/" + String.join("/", segments);
  }
}
