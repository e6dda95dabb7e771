package dev.tollgate.engine.command;

import dev.tollgate.engine.path.FilePath;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a command's path arguments against the directory it runs in. With that directory unknown
 * (after {@code cd $DIR}), a relative argument stays as written: a policy then sees a relative
 * path, which no absolute prefix check matches, and fails closed.
 *
 * <p>A command run by {@code find -exec} gets each found path for {@code {}}, and one run by {@code
 * xargs} arguments from its input: {@link #FOUND_BY_FIND} and {@link #XARGS_INPUT} stand for them,
 * relative words a policy cannot place (where find searches is not known here).
 */
record PathArguments(String cwd, String home, List<String> via) {

  /** The arguments xargs adds, as a target: not absolute, so rules treat it as unknown. */
  static final String XARGS_INPUT = "$(xargs input)";

  /** What {@code find -exec} puts for {@code {}}: not absolute either. */
  static final String FOUND_BY_FIND = "$(found by find)";

  String resolve(String path) {
    if (path.equals(XARGS_INPUT) || path.equals(FOUND_BY_FIND)) {
      return path;
    }
    if (path.equals("{}") && via.stream().anyMatch(v -> v.startsWith("find"))) {
      return FOUND_BY_FIND;
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
