package dev.tollgate.engine.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Git configuration keys that make git run a program or script later, or that change what a push
 * does. Setting one, for one command ({@code -c}) or for good ({@code git config}), hands code to
 * git: later tool calls that look harmless ({@code git log}, {@code git commit}) would run it.
 */
final class GitConfigKeys {

  /** Keys (canonical: section and name lower-cased, subsection kept) whose value is run. */
  private static final Pattern RUNS_CODE =
      Pattern.compile(
          "core\\.(pager|editor|sshcommand|fsmonitor|hookspath|askpass|gitproxy|alternaterefscommand)"
              + "|sequence\\.editor|diff\\.external|diff\\..+\\.(textconv|command)|merge\\..+\\.driver"
              + "|filter\\..+\\.(clean|smudge|process)|alias\\..+|credential(\\..+)?\\.helper"
              + "|gpg(\\..+)?\\.program|pager\\..+|man\\..+\\.(cmd|path)|browser\\..+\\.(cmd|path)|web\\.browser"
              + "|protocol(\\..+)?\\.allow|uploadpack\\.packobjectshook|interactive\\.difffilter"
              + "|(difftool|mergetool)\\..+\\.cmd|remote\\..+\\.(uploadpack|receivepack|vcs|proxy)"
              + "|include\\.path|includeif\\..+\\.path|init\\.templatedir|submodule\\..+\\.update"
              + "|core\\.(worktree|attributesfile|excludesfile)|http\\..*sslkey|ssh\\.variant|safe\\.directory");

  private static final Pattern FORCES_PUSH =
      Pattern.compile("remote\\..+\\.(push=\\+.*|push=.*[ ,]\\+.*|mirror=.*)");

  private static final Set<String> READ_ONLY =
      Set.of(
          "--get",
          "--get-all",
          "--get-regexp",
          "--get-urlmatch",
          "--list",
          "-l",
          "--get-color",
          "--get-colorbool",
          "get",
          "list");
  private static final Set<String> OPTIONS_WITH_VALUE =
      Set.of("--file", "-f", "--blob", "--type", "--default", "--comment", "--value");

  private GitConfigKeys() {}

  /** Section and variable names are case-insensitive in git; the subsection is not. */
  static String canonical(String key) {
    int first = key.indexOf('.');
    int last = key.lastIndexOf('.');
    if (first < 0) {
      return key.toLowerCase(Locale.ROOT);
    }
    return key.substring(0, first).toLowerCase(Locale.ROOT)
        + key.substring(first, last + 1)
        + key.substring(last + 1).toLowerCase(Locale.ROOT);
  }

  static boolean runsCode(String canonicalKey) {
    return RUNS_CODE.matcher(canonicalKey).matches();
  }

  /** Adds the {@code key=value} settings whose value git would run. */
  static void codeRunning(List<String> settings, List<String> runsCode) {
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      String key = eq < 0 ? setting : setting.substring(0, eq);
      if (runsCode(key)) {
        runsCode.add(setting);
      }
    }
  }

  static boolean forcesPush(String setting) {
    return FORCES_PUSH.matcher(setting).matches();
  }

  /**
   * The keys a {@code git config} command line sets or unsets (canonical), adding settings of
   * code-running keys to {@code runsCode}. Reads both the classic form ({@code git config k v},
   * {@code --unset k}) and the subcommand form ({@code git config set k v}).
   */
  static List<String> writtenBy(List<String> args, List<String> runsCode) {
    List<String> positional = new ArrayList<>();
    boolean readOnly = false;
    boolean explicitWrite = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (READ_ONLY.contains(arg) || arg.startsWith("--get")) {
        readOnly = true;
      } else if (arg.equals("set")
          || arg.equals("unset")
          || arg.startsWith("--unset")
          || arg.equals("--add")
          || arg.equals("--replace-all")) {
        explicitWrite = true;
      } else if (arg.equals("edit") || arg.equals("-e") || arg.equals("--edit")) {
        runsCode.add("git config --edit");
        return List.of("*");
      } else if (arg.startsWith("-")) {
        i += OPTIONS_WITH_VALUE.contains(arg) ? 1 : 0;
      } else {
        positional.add(arg);
      }
    }
    if (positional.isEmpty() || readOnly || (positional.size() < 2 && !explicitWrite)) {
      return List.of();
    }
    String key = canonical(positional.get(0));
    if (runsCode(key)) {
      runsCode.add(key + "=" + (positional.size() > 1 ? positional.get(1) : ""));
    }
    return List.of(key);
  }
}
