package dev.tollgate.engine.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine knows about a few commands that policies need to read precisely: git (global
 * options, subcommand, force pushes in any spelling, config that runs code), deletes and their
 * targets, permission modes as bits, and links. The facts are added to a command's entry in {@code
 * resource.commands} under {@code git}, {@code delete}, {@code mode} and {@code link}; a command
 * the engine knows nothing about gets none of them.
 */
public final class CommandKnowledge {

  private CommandKnowledge() {}

  /**
   * @param name the command's name (basename, quotes removed)
   * @param args its arguments after quote removal
   * @param via the wrappers it was reached through ({@code xargs} and {@code find -exec} add
   *     arguments the command line does not show)
   * @param cwd the directory the command runs in, or null when unknown
   * @param home the agent's home directory
   */
  public static Map<String, Object> factsOf(
      String name, List<String> args, List<String> via, String cwd, String home) {
    PathArguments paths = new PathArguments(cwd, home, via);
    Map<String, Object> facts = new LinkedHashMap<>();
    if (name.equals("git")) {
      facts.put("git", GitInvocation.parse(args).toFacts());
    }
    DeleteTargets delete = DeleteTargets.of(name, paths.withAddedArguments(args), paths);
    if (delete != null) {
      facts.put("delete", delete.toFacts());
    }
    FileMode mode = FileMode.of(name, args);
    if (mode != null) {
      facts.put("mode", mode.toFacts());
    }
    LinkFlags link = LinkFlags.of(name, args);
    if (link != null) {
      facts.put("link", link.toFacts());
    }
    return facts;
  }

  /**
   * Whether git runs the value of this configuration key ({@code -c}, {@code GIT_CONFIG_*}, {@code
   * git config}): the one list of such keys, which the shell analysis uses too.
   */
  public static boolean gitConfigRunsCode(String key) {
    return GitConfigKeys.runsCode(GitConfigKeys.canonical(key));
  }
}
