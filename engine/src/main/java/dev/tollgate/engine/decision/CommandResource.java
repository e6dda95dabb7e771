package dev.tollgate.engine.decision;

import dev.tollgate.engine.command.CommandKnowledge;
import dev.tollgate.engine.path.FilePath;
import dev.tollgate.engine.shell.AnalyzedCommand;
import dev.tollgate.engine.shell.AnalyzedRedirect;
import dev.tollgate.engine.shell.ShellAnalysis;
import dev.tollgate.engine.shell.ShellAnalyzer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code resource} of a shell command: what the parser says will run ({@code commands}, {@code
 * redirects}, {@code inlineCode}, {@code opaque}), each command with what the engine knows of it
 * ({@code git}, {@code delete}, {@code mode}, {@code link}: {@link CommandKnowledge}), and in
 * {@code paths} every argument and redirect target as an absolute path, so one secrets rule covers
 * {@code cat .env}, {@code cp .env x}, {@code cat $(echo .env)} and {@code > ~/.bashrc}.
 */
final class CommandResource {

  private CommandResource() {}

  static Map<String, Object> of(String command, String cwd, String home) {
    ShellAnalysis analysis = ShellAnalyzer.analyze(command, cwd, home);
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("type", "command");
    resource.put("command", command);
    resource.putAll(analysis.toResourceFields());
    List<Object> commands = new ArrayList<>();
    Set<String> paths = new LinkedHashSet<>();
    for (AnalyzedCommand analyzed : analysis.commands()) {
      String dir = analyzed.cwd().isEmpty() ? null : analyzed.cwd();
      Map<String, Object> entry = new LinkedHashMap<>(analyzed.toMap());
      entry.putAll(
          CommandKnowledge.factsOf(analyzed.name(), analyzed.args(), analyzed.via(), dir, home));
      Set<String> own = new LinkedHashSet<>();
      for (String arg : analyzed.args()) {
        addPath(own, arg, dir, home);
      }
      entry.put("paths", List.copyOf(own));
      commands.add(entry);
      paths.addAll(own);
    }
    for (AnalyzedRedirect redirect : analysis.redirects()) {
      if (redirect.target().startsWith("/") || redirect.dynamic()) {
        paths.add(redirect.target());
      }
    }
    resource.put("commands", List.copyOf(commands));
    resource.put("paths", List.copyOf(paths));
    return resource;
  }

  /**
   * An argument as the path it would name: an option's value after {@code =} ({@code --file=.env}),
   * any other word that is not an option. Which arguments a program reads as paths is not known
   * here, so every one is listed: a rule over {@code paths} errs towards seeing too much.
   */
  private static void addPath(Set<String> paths, String arg, String dir, String home) {
    String word = arg;
    if (arg.startsWith("-")) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        return;
      }
      word = arg.substring(eq + 1);
    }
    if (word.isEmpty()) {
      return;
    }
    String absolute = FilePath.resolve(word, dir, home);
    paths.add(absolute == null ? word : absolute);
  }
}
