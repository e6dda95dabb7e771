package dev.tollgate.engine.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a deleting command removes: {@code rm} (its flags bundled or long, targets after {@code --}
 * too), {@code rmdir}, {@code unlink}, {@code shred} and {@code find … -delete}. Targets are made
 * absolute against the working directory the command runs in, so {@code rm -rf ..} from {@code
 * /workspace} is seen as a delete of {@code /}. Globs stay as written ({@code /*}): a policy can
 * match them, it cannot expand them.
 *
 * @param recursive whether directories are removed with their contents
 * @param targets absolute, normalized targets (glob characters kept)
 */
record DeleteTargets(boolean recursive, List<String> targets) {

  private static final Set<String> FIND_EXPRESSION_START = Set.of("!", "(", ")", ",");

  DeleteTargets {
    targets = List.copyOf(targets);
  }

  /** The delete a command performs, or null when it deletes nothing. */
  static DeleteTargets of(String name, List<String> args, PathResolver paths) {
    return switch (name) {
      case "rm" -> rm(args, paths);
      case "rmdir", "unlink", "shred" -> new DeleteTargets(false, positionals(args, paths));
      case "find" -> args.contains("-delete") ? find(args, paths) : null;
      default -> null;
    };
  }

  private static DeleteTargets rm(List<String> args, PathResolver paths) {
    boolean recursive = false;
    boolean options = true;
    List<String> targets = new ArrayList<>();
    for (String arg : args) {
      if (options && arg.equals("--")) {
        options = false;
      } else if (options && arg.startsWith("--")) {
        recursive |=
            arg.equals("--recursive") || "--recursive".startsWith(arg) && arg.length() >= 3;
      } else if (options && arg.startsWith("-") && arg.length() > 1) {
        recursive |= arg.indexOf('r') > 0 || arg.indexOf('R') > 0;
      } else {
        targets.add(paths.resolve(arg));
      }
    }
    return new DeleteTargets(recursive, targets);
  }

  private static DeleteTargets find(List<String> args, PathResolver paths) {
    List<String> starts = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("-") || FIND_EXPRESSION_START.contains(arg)) {
        break;
      }
      starts.add(paths.resolve(arg));
    }
    if (starts.isEmpty()) {
      starts.add(paths.resolve("."));
    }
    return new DeleteTargets(true, starts);
  }

  private static List<String> positionals(List<String> args, PathResolver paths) {
    List<String> targets = new ArrayList<>();
    boolean options = true;
    for (String arg : args) {
      if (options && arg.equals("--")) {
        options = false;
      } else if (!options || !arg.startsWith("-") || arg.equals("-")) {
        targets.add(paths.resolve(arg));
      }
    }
    return targets;
  }

  Map<String, Object> toFacts() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("recursive", recursive);
    facts.put("targets", targets);
    return facts;
  }
}
