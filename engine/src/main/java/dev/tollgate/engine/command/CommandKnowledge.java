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
   * @param paths resolves a path argument against the command's working directory
   */
  public static Map<String, Object> factsOf(String name, List<String> args, PathResolver paths) {
    Map<String, Object> facts = new LinkedHashMap<>();
    if (name.equals("git")) {
      facts.put("git", GitInvocation.parse(args).toFacts());
    }
    DeleteTargets delete = DeleteTargets.of(name, args, paths);
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
   * Code a command hands to git to run (see {@link GitInvocation#runsCode()}); empty for others.
   */
  public static List<String> gitCode(String name, List<String> args) {
    return name.equals("git") ? GitInvocation.parse(args).runsCode() : List.of();
  }
}
