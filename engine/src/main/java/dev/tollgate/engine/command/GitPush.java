package dev.tollgate.engine.command;

import java.util.List;
import java.util.Set;

/**
 * Reads the options and refspecs of {@code git push} (and the plumbing that pushes: {@code
 * send-pack}, {@code http-push}, {@code subtree push}) for what overwrites or deletes remote
 * history. git accepts any unambiguous prefix of a long option ({@code --mirr}) and bundled short
 * flags ({@code -uf}); both are read here as git reads them.
 */
record GitPush(boolean pushes, boolean force, boolean deletes) {

  private static final Set<String> PUSHING = Set.of("push", "send-pack", "http-push");
  private static final Set<String> WITH_VALUE =
      Set.of("--push-option", "--repo", "--receive-pack", "--exec");
  private static final GitPush NONE = new GitPush(false, false, false);

  static GitPush of(String subcommand, List<String> args) {
    if (subcommand.equals("subtree")) {
      return args.contains("push") ? read(args) : NONE;
    }
    return PUSHING.contains(subcommand) ? read(args) : NONE;
  }

  private static GitPush read(List<String> args) {
    boolean force = false;
    boolean deletes = false;
    boolean options = true;
    int positional = 0;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (options && arg.equals("--")) {
        options = false;
      } else if (options && arg.startsWith("--")) {
        String name = arg.contains("=") ? arg.substring(2, arg.indexOf('=')) : arg.substring(2);
        force |=
            isPrefixOf(name, "force")
                || isPrefixOf(name, "force-with-lease")
                || isPrefixOf(name, "force-if-includes")
                || isPrefixOf(name, "mirror");
        deletes |=
            isPrefixOf(name, "delete") || isPrefixOf(name, "prune") || isPrefixOf(name, "mirror");
        if (!arg.contains("=") && WITH_VALUE.contains(arg)) {
          i++;
        }
      } else if (options && arg.startsWith("-") && arg.length() > 1) {
        for (int c = 1; c < arg.length(); c++) {
          char flag = arg.charAt(c);
          force |= flag == 'f';
          deletes |= flag == 'd';
          if (flag == 'o') {
            i += c == arg.length() - 1 ? 1 : 0;
            break;
          }
        }
      } else {
        // The first positional is the repository; the rest are refspecs.
        if (positional++ > 0) {
          force |= arg.startsWith("+");
          deletes |= arg.startsWith(":") && arg.length() > 1;
        }
      }
    }
    return new GitPush(true, force, deletes);
  }

  /** git's rule for abbreviated long options: any non-empty prefix names the option. */
  private static boolean isPrefixOf(String written, String option) {
    return !written.isEmpty() && option.startsWith(written);
  }
}
