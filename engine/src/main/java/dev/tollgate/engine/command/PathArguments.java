package dev.tollgate.engine.command;

import dev.tollgate.engine.path.FilePath;

/**
 * Resolves a command's path arguments against the directory it runs in. With that directory unknown
 * (after {@code cd $DIR}), a relative argument stays as written: a policy then sees a relative
 * path, which no absolute prefix check matches, and fails closed.
 */
record PathArguments(String cwd, String home) {

  String resolve(String path) {
    String absolute = FilePath.resolve(path, cwd, home);
    return absolute == null ? path : absolute;
  }
}
