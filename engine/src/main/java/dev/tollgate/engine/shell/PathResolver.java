package dev.tollgate.engine.shell;

import dev.tollgate.engine.path.FilePath;

/** The shell's view of {@link FilePath}: the one rule for making a path absolute and normal. */
final class PathResolver {

  private PathResolver() {}

  /**
   * The absolute path, or null when {@code path} is relative and the working directory is unknown
   * (null).
   */
  static String resolve(String path, String cwd, String home) {
    return FilePath.resolve(path, cwd, home);
  }

  static String normalize(String path) {
    return FilePath.normalize(path);
  }
}
