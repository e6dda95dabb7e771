package dev.tollgate.engine.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code git} command line asks git to do, read the way git reads it: global options before
 * the subcommand ({@code -C}, {@code -c k=v}, {@code --git-dir}, …), then the subcommand and its
 * own options. A policy asks "is this a push that overwrites history" without knowing that {@code
 * git --no-pager -c x=y push origin +main} and {@code git push -uf} are both force pushes.
 *
 * <p>Only what the command line says is known here. Configuration already in the repository can
 * change what git does (an alias, a configured {@code +refspec}); that is why an unknown subcommand
 * is reported as such (it may be an alias) and why the git gateway decides pushes on what they
 * change.
 *
 * @param configs {@code -c} and {@code --config-env} settings, {@code key=value}, keys lower-cased
 * @param directory the {@code -C} directory, or empty
 * @param subcommand the subcommand, or empty when there is none (e.g. {@code git --version})
 * @param knownSubcommand whether git itself has this subcommand (else it can only be an alias or an
 *     external {@code git-*} program)
 * @param subcommandArgs the arguments after the subcommand
 * @param pushes whether the command sends objects or ref updates to a remote
 * @param force whether a push may overwrite remote history ({@code -f}, {@code --force*}, {@code
 *     +refspec}, {@code --mirror}, or a forcing {@code -c remote.*} setting)
 * @param deletes whether a push deletes remote refs ({@code --delete}, {@code :ref}, {@code
 *     --prune}, {@code --mirror})
 * @param configWrites keys that {@code git config} sets or unsets, lower-cased
 * @param runsCode programs or scripts git is told to run ({@code rebase --exec}, {@code -c
 *     core.pager=…}, {@code --upload-pack=…}, {@code alias.x=!…}, …)
 */
public record GitInvocation(
    List<String> configs,
    String directory,
    String subcommand,
    boolean knownSubcommand,
    List<String> subcommandArgs,
    boolean pushes,
    boolean force,
    boolean deletes,
    List<String> configWrites,
    List<String> runsCode) {

  /** Global options that take the next argument when not written with {@code =}. */
  private static final Set<String> GLOBAL_WITH_VALUE =
      Set.of(
          "-C",
          "-c",
          "--git-dir",
          "--work-tree",
          "--namespace",
          "--config-env",
          "--super-prefix",
          "--attr-source",
          "--list-cmds");

  public GitInvocation {
    configs = List.copyOf(configs);
    subcommandArgs = List.copyOf(subcommandArgs);
    configWrites = List.copyOf(configWrites);
    runsCode = List.copyOf(runsCode);
  }

  /** Reads {@code git ARGS} (the arguments after the program name). */
  public static GitInvocation parse(List<String> args) {
    List<String> configs = new ArrayList<>();
    String directory = "";
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-") && !args.get(i).equals("-")) {
      String option = args.get(i);
      if (option.equals("--")) {
        i++;
        break;
      }
      String name =
          option.contains("=") && option.startsWith("--")
              ? option.substring(0, option.indexOf('='))
              : option;
      String value = null;
      if (!name.equals(option)) {
        value = option.substring(name.length() + 1);
      } else if (option.startsWith("-c") && option.length() > 2 && !option.startsWith("--")) {
        name = "-c";
        value = option.substring(2);
      } else if (option.startsWith("-C") && option.length() > 2) {
        name = "-C";
        value = option.substring(2);
      } else if (GLOBAL_WITH_VALUE.contains(option) && i + 1 < args.size()) {
        value = args.get(++i);
      }
      if (name.equals("-c") && value != null) {
        configs.add(lowerKey(value));
      } else if (name.equals("--config-env") && value != null) {
        configs.add(lowerKey(value));
      } else if (name.equals("-C") && value != null) {
        directory = directory.isEmpty() || value.startsWith("/") ? value : directory + "/" + value;
      }
      i++;
    }
    String subcommand = i < args.size() ? args.get(i) : "";
    List<String> rest = i < args.size() ? args.subList(i + 1, args.size()) : List.of();
    return build(configs, directory, subcommand, rest);
  }

  private static GitInvocation build(
      List<String> configs, String directory, String subcommand, List<String> rest) {
    List<String> runsCode = new ArrayList<>();
    GitConfigKeys.codeRunning(configs, runsCode);
    GitSubcommandCode.collect(subcommand, rest, runsCode);
    boolean configForces = configs.stream().anyMatch(GitConfigKeys::forcesPush);
    GitPush push = GitPush.of(subcommand, rest);
    List<String> configWrites =
        subcommand.equals("config") ? GitConfigKeys.writtenBy(rest, runsCode) : List.of();
    return new GitInvocation(
        configs,
        directory,
        subcommand,
        GitSubcommands.isKnown(subcommand),
        rest,
        push.pushes(),
        push.pushes() && (push.force() || configForces),
        push.deletes(),
        configWrites,
        runsCode);
  }

  private static String lowerKey(String setting) {
    int eq = setting.indexOf('=');
    String key = eq < 0 ? setting : setting.substring(0, eq);
    String value = eq < 0 ? "" : setting.substring(eq);
    return GitConfigKeys.canonical(key) + value;
  }

  /** The facts as CEL sees them under {@code command.git}. */
  public Map<String, Object> toFacts() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("subcommand", subcommand);
    facts.put("knownSubcommand", knownSubcommand);
    facts.put("args", subcommandArgs);
    facts.put("configs", configs);
    facts.put("directory", directory);
    facts.put("pushes", pushes);
    facts.put("force", force);
    facts.put("deletes", deletes);
    facts.put("configWrites", configWrites);
    facts.put("runsCode", runsCode);
    return facts;
  }
}
