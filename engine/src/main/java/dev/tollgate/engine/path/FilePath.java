package dev.tollgate.engine.path;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Makes a tool's path argument absolute and normal, the way the tool itself will see it, so a
 * prefix check in a policy ({@code resource.path.startsWith('/workspace/')}) cannot be walked
 * around with {@code ..}, {@code .}, doubled slashes or a relative path.
 *
 * <p>Symbolic links cannot be resolved here: the decision point does not see the agent's
 * filesystem. Policies that must resist symlinks should also deny writes of links.
 */
public final class FilePath {

  private FilePath() {}

  /**
   * @param path the path as the agent gave it (absolute, relative, or starting with {@code ~})
   * @param cwd the working directory (absolute), or null when unknown
   * @param home the agent's home directory, for {@code ~}
   * @return the absolute, normal path; null when {@code path} is relative and {@code cwd} unknown
   */
  public static String resolve(String path, String cwd, String home) {
    String absolute;
    if (path.equals("~") || path.startsWith("~/")) {
      absolute = home + "/" + path.substring(1);
    } else if (path.startsWith("/")) {
      absolute = path;
    } else if (cwd == null) {
      return null;
    } else {
      absolute = normalize(cwd) + "/" + path;
    }
    return normalize(absolute);
  }

  /** Collapses {@code .}, {@code ..} (never above the root) and repeated slashes. */
  public static String normalize(String path) {
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
