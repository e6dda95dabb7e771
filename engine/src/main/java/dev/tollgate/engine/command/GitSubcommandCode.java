package dev.tollgate.engine.command;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Options of git subcommands whose value is a command git runs ({@code rebase --exec}, {@code
 * bisect run}, {@code submodule foreach}, {@code --upload-pack}, …) and remote URLs that run a
 * program ({@code ext::sh -c …}, or any {@code <helper>::} transport, which runs {@code
 * git-remote-<helper>}).
 */
final class GitSubcommandCode {

  /** Per subcommand: options whose value (attached with = or next argument) is run. */
  private static final Map<String, Set<String>> RUNNING_OPTIONS =
      Map.ofEntries(
          Map.entry("rebase", Set.of("--exec", "-x")),
          Map.entry(
              "filter-branch",
              Set.of(
                  "--env-filter",
                  "--tree-filter",
                  "--index-filter",
                  "--parent-filter",
                  "--msg-filter",
                  "--commit-filter",
                  "--tag-name-filter")),
          Map.entry("difftool", Set.of("--extcmd", "-x")),
          Map.entry("grep", Set.of("--open-files-in-pager", "-O")),
          Map.entry("fetch", Set.of("--upload-pack")),
          Map.entry("pull", Set.of("--upload-pack")),
          Map.entry("clone", Set.of("--upload-pack", "-u", "--template")),
          Map.entry("ls-remote", Set.of("--upload-pack", "--exec")),
          Map.entry("archive", Set.of("--exec")),
          Map.entry("push", Set.of("--receive-pack", "--exec")),
          Map.entry("send-pack", Set.of("--receive-pack", "--exec")),
          Map.entry(
              "send-email",
              Set.of("--to-cmd", "--cc-cmd", "--header-cmd", "--sendmail-cmd", "--smtp-server")));

  /** Subcommands whose positional arguments (after the first word) are a command to run. */
  private static final Map<String, String> RUNNING_WORDS =
      Map.of("bisect", "run", "submodule", "foreach");

  /** Subcommands that run hooks, servers or arbitrary tools by design. */
  private static final Set<String> RUNS_BY_DESIGN =
      Set.of(
          "hook",
          "instaweb",
          "daemon",
          "mergetool",
          "gui",
          "citool",
          "web--browse",
          "shell",
          "http-backend");

  private static final Pattern TRANSPORT_HELPER = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*::.*");

  private GitSubcommandCode() {}

  static void collect(String subcommand, List<String> args, List<String> runsCode) {
    if (RUNS_BY_DESIGN.contains(subcommand)) {
      runsCode.add("git " + subcommand);
    }
    Set<String> options = RUNNING_OPTIONS.getOrDefault(subcommand, Set.of());
    String word = RUNNING_WORDS.get(subcommand);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (word != null && arg.equals(word)) {
        runsCode.add(String.join(" ", args.subList(i + 1, args.size())));
        return;
      }
      if (TRANSPORT_HELPER.matcher(arg).matches()) {
        runsCode.add(arg);
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (options.contains(name)) {
        runsCode.add(
            arg.contains("=")
                ? arg.substring(name.length() + 1)
                : i + 1 < args.size() ? args.get(++i) : "");
      } else if (arg.length() > 2
          && !arg.startsWith("--")
          && options.contains(arg.substring(0, 2))) {
        runsCode.add(arg.substring(2));
      }
    }
  }
}
