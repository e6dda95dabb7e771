package dev.tollgate.engine.command;

import dev.tollgate.engine.path.FilePath;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a command's path arguments against the directory it runs in. With that directory unknown
 * (after {@code cd $DIR}), a relative argument stays as written: a policy then sees a relative
 * path, which no absolute prefix check matches, and fails closed.
 *
 * <p>A command run by {@code find -exec} gets each found path for {@code {}}: a path somewhere
 * below the directory, {@code <cwd>/**}{@code /{}}. A command run by {@code xargs} gets arguments
 * from its input: {@link #XARGS_INPUT} stands for them, a relative word a policy cannot place.
 */
record PathArguments(String cwd, String home, List<String> via) {

  /** The arguments xargs adds, as a target: not absolute, so rules treat it as unknown. */
  static final String XARGS_INPUT = "$(xargs input)";

  String resolve(String path) {
    if (path.equals(XARGS_INPUT)) {
      return path;
    }
    if (path.equals("{}") && via.stream().anyMatch(v -> v.startsWith("find"))) {
      return (cwd == null || cwd.equals("/") ? "" : cwd) + "/**/{}";
    }
    String absolute = FilePath.resolve(path, cwd, home);
    return absolute == null ? path : absolute;
  }

  /** The arguments as the command receives them: with xargs' input after them. */
  List<String> withAddedArguments(List<String> args) {
    if (!via.contains("xargs")) {
      return args;
    }
    List<String> all = new ArrayList<>(args);
    all.add(XARGS_INPUT);
    return all;
  }
}
