package dev.tollgate.engine.shell;

import dev.tollgate.engine.shell.WordExpander.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One simple command for the {@link ShellAnalyzer}: expands its words, looks through wrappers,
 * records the command with its redirections, then follows what it runs in turn ({@code sh -c},
 * {@code eval}, {@code find -exec}…) and tracks {@code cd}.
 */
final class SimpleCommandAnalyzer {

  private static final int MAX_WRAPPERS = 16;
  private static final Set<String> FIND_ACTIONS = Set.of("-exec", "-execdir", "-ok", "-okdir");

  private final ShellAnalyzer analysis;
  private final ShellCodeFollower shellCode;

  SimpleCommandAnalyzer(ShellAnalyzer analysis) {
    this.analysis = analysis;
    this.shellCode = new ShellCodeFollower(analysis);
  }

  void analyze(ShellNode.SimpleCommand command, List<String> via, boolean pipedStdin) {
    List<Field> fields = new ArrayList<>();
    for (Word word : command.words()) {
      fields.addAll(WordExpander.fields(word, analysis.home));
    }
    List<String> assignments = new ArrayList<>();
    for (Assignment assignment : command.assignments()) {
      assignments.add(assignment.name() + (assignment.append() ? "+=" : "=") + value(assignment));
    }
    List<AnalyzedRedirect> redirects = new ArrayList<>();
    for (Redirect redirect : command.redirects()) {
      redirects.add(redirect(redirect));
    }
    analysis.redirects.addAll(redirects);
    // Substitutions run before the command (and cannot move this shell); the command is still
    // listed first.
    int substitutionsStart = analysis.commands.size();
    for (Assignment assignment : command.assignments()) {
      if (assignment.subscript() != null) {
        analysis.walkSubstitutions(assignment.subscript(), via);
      }
      if (assignment.value() != null) {
        analysis.walkSubstitutions(assignment.value(), via);
      } else {
        assignment.array().forEach(element -> analysis.walkSubstitutions(element, via));
      }
    }
    for (Word word : command.words()) {
      analysis.walkSubstitutions(word, via);
    }
    for (Redirect redirect : command.redirects()) {
      analysis.walkRedirectWords(redirect, via);
    }
    int commandStart = analysis.commands.size();
    if (!fields.isEmpty()) {
      invoke(fields, assignments, redirects, via, null, stdin(command.redirects(), pipedStdin));
      FoldedView.add(this, analysis, command, fields, assignments, via, pipedStdin);
    } else {
      analysis.inlineCode.addAll(CommandOptions.fromEnvironment(assignments));
      FoldedView.remember(analysis, command.assignments());
    }
    int end = analysis.commands.size();
    Collections.rotate(analysis.commands.subList(substitutionsStart, end), end - commandStart);
  }

  private String value(Assignment assignment) {
    if (assignment.value() != null) {
      return WordExpander.single(assignment.value(), analysis.home).text();
    }
    List<String> elements = new ArrayList<>();
    assignment
        .array()
        .forEach(element -> elements.add(WordExpander.single(element, analysis.home).text()));
    return "(" + String.join(" ", elements) + ")";
  }

  AnalyzedRedirect redirect(Redirect redirect) {
    if (redirect.isHereDoc() || redirect.op().equals("<<<")) {
      return new AnalyzedRedirect(redirect.op(), redirect.fd(), "", false);
    }
    Field target = WordExpander.single(redirect.target(), analysis.home);
    boolean duplication = redirect.op().equals(">&") || redirect.op().equals("<&");
    if (target.dynamic() || (duplication && isDescriptor(target.text()))) {
      return new AnalyzedRedirect(redirect.op(), redirect.fd(), target.text(), target.dynamic());
    }
    String absolute = analysis.resolve(target);
    return absolute == null
        ? new AnalyzedRedirect(redirect.op(), redirect.fd(), target.text(), true)
        : new AnalyzedRedirect(redirect.op(), redirect.fd(), absolute, false);
  }

  private static boolean isDescriptor(String text) {
    String digits = text.endsWith("-") ? text.substring(0, text.length() - 1) : text;
    return digits.isEmpty() || digits.chars().allMatch(Character::isDigit);
  }

  /**
   * What the command reads on standard input: its last input redirection, else the pipe before it.
   */
  InlineCodeFinder.Stdin stdin(List<Redirect> redirects, boolean pipedStdin) {
    InlineCodeFinder.Stdin stdin =
        pipedStdin ? new InlineCodeFinder.Stdin("pipe", new Field("", false)) : null;
    for (Redirect redirect : redirects) {
      if (!redirect.fd().isEmpty() && !redirect.fd().equals("0")) {
        continue;
      }
      if (redirect.isHereDoc()) {
        stdin =
            new InlineCodeFinder.Stdin(
                "here-doc", WordExpander.single(redirect.hereDoc().body, analysis.home));
      } else if (redirect.op().equals("<<<")) {
        stdin =
            new InlineCodeFinder.Stdin(
                "here-string", WordExpander.single(redirect.target(), analysis.home));
      } else if (redirect.op().equals("<")) {
        Field file = WordExpander.single(redirect.target(), analysis.home);
        String absolute = analysis.resolve(file);
        stdin =
            new InlineCodeFinder.Stdin(
                "file", absolute == null ? file : new Field(absolute, false));
      }
    }
    return stdin;
  }

  /**
   * Records the command {@code argv} runs, looking through wrappers, then what that command runs in
   * turn.
   *
   * @param placeholder text that {@code find -exec} or {@code xargs -I} replaces with run-time
   *     input, or null
   */
  void invoke(
      List<Field> argv,
      List<String> assignments,
      List<AnalyzedRedirect> redirects,
      List<String> via,
      String placeholder,
      InlineCodeFinder.Stdin stdin) {
    boolean dynamic = false;
    List<String> env = new ArrayList<>(assignments);
    String cwd = analysis.cwd;
    boolean wrapped = false;
    for (int hops = 0; true; hops++) {
      Field first = argv.get(0);
      CommandWrappers.Unwrapped unwrapped =
          first.dynamic()
              ? null
              : CommandWrappers.unwrap(baseName(first.text()), argv.subList(1, argv.size()));
      if (unwrapped == null) {
        break;
      }
      if (hops == MAX_WRAPPERS || via.size() > MAX_WRAPPERS) {
        analysis.opaque("wrappers nested deeper than " + MAX_WRAPPERS + " not followed");
        break;
      }
      env.addAll(unwrapped.assignments());
      dynamic |= unwrapped.dynamic();
      if (unwrapped.label().equals("xargs")) {
        placeholder = CommandWrappers.xargsPlaceholder(argv.subList(1, argv.size()));
      }
      wrapped |= !Set.of("builtin", "command").contains(unwrapped.label());
      if (unwrapped.chdir() != null) {
        cwd = cwd == null ? null : PathResolver.resolve(unwrapped.chdir(), cwd, analysis.home);
      }
      List<Field> next = new ArrayList<>();
      if (unwrapped.splitString() != null) {
        analysis.inlineCode.add(
            new InlineCode("env -S", unwrapped.splitString().text(), "argument", ""));
        List<Field> split = splitString(unwrapped.splitString());
        if (split == null) {
          analysis.opaque("env -S string not understood: " + unwrapped.splitString().text());
          return;
        }
        // The split words are env's own arguments again: options, NAME=value, then the command.
        next.add(new Field("env", false));
        next.addAll(split);
        via = ShellAnalyzer.with(via, "env -S");
      } else {
        via = ShellAnalyzer.with(via, unwrapped.label());
      }
      next.addAll(unwrapped.command());
      if (next.isEmpty()) {
        return;
      }
      argv = next;
    }
    if (placeholder != null) {
      argv = withPlaceholders(argv, placeholder);
    }
    Field first = argv.get(0);
    List<Field> args = argv.subList(1, argv.size());
    List<String> argTexts = new ArrayList<>();
    for (Field arg : args) {
      argTexts.add(arg.text());
      dynamic |= arg.dynamic();
    }
    if (first.dynamic()) {
      analysis.opaque("dynamic command name: " + first.text());
    }
    String name = baseName(first.text());
    analysis.commands.add(
        new AnalyzedCommand(
            name,
            first.text(),
            argTexts,
            env,
            redirects,
            via,
            dynamic || first.dynamic(),
            cwd == null ? "" : cwd));
    analysis.inlineCode.addAll(CommandOptions.fromEnvironment(env));
    if (!first.dynamic()) {
      followWhatItRuns(name, args, via, stdin, wrapped);
    }
  }

  private void followWhatItRuns(
      String name,
      List<Field> args,
      List<String> via,
      InlineCodeFinder.Stdin stdin,
      boolean wrapped) {
    analysis.inlineCode.addAll(InlineCodeFinder.find(name, args, stdin));
    analysis.inlineCode.addAll(CommandOptions.find(name, args));
    analysis.inlineCode.addAll(ContainerCommands.find(name, args));
    if (InlineCodeFinder.isShell(name)) {
      shellCode.shell(name, args, via, stdin);
    }
    switch (name) {
      case "eval" -> {
        analysis.opaque("eval");
        String code = joined(args);
        analysis.inlineCode.add(new InlineCode("eval", code, "argument", ""));
        if (args.stream().noneMatch(Field::dynamic)) {
          analysis.analyzeText(code, ShellAnalyzer.with(via, "eval"), "eval code", true);
        }
      }
      case "source", "." ->
          shellCode.runsFile(
              "source", args.isEmpty() ? new Field("", true) : args.get(0), via, stdin);
      case "su", "runuser", "script", "flock" -> shellCode.dashCCommand(name, args, via);
      case "at", "batch" -> shellCode.scheduled(name, args, via, stdin);
      case "watch" -> {
        int i = CommandWrappers.skipOptions(args, 0, "nd", Set.of("--interval", "--differences"));
        if (i < args.size()) {
          Field code =
              new Field(
                  joined(args.subList(i, args.size())), args.stream().anyMatch(Field::dynamic));
          shellCode.reparse("watch", code, via);
        }
      }
      case "alias" -> analysis.opaque("alias defines commands");
      case "trap" -> {
        analysis.opaque("trap runs code later");
        if (!args.isEmpty() && !args.get(0).text().startsWith("-")) {
          shellCode.reparse("trap", args.get(0), via);
        }
      }
      case "enable" -> analysis.opaque("enable may load or switch builtins");
      case "hash" -> {
        if (args.stream().anyMatch(a -> a.text().startsWith("-p"))) {
          analysis.opaque("hash -p maps a command name to another program");
        }
      }
      case "export", "declare", "typeset", "local", "readonly" -> {
        List<String> texts = new ArrayList<>();
        args.forEach(a -> texts.add(a.text()));
        analysis.inlineCode.addAll(CommandOptions.fromEnvironment(texts));
      }
      case "find" -> findActions(args, via);
      case "set" -> {
        if (!wrapped) {
          ShellStateChanges.set(analysis, args);
        }
      }
      case "cd", "pushd", "popd" -> {
        if (!wrapped) {
          ShellStateChanges.changeDirectory(analysis, name, args);
        }
      }
      default -> {
        // an ordinary program: nothing more it runs that can be seen from here
      }
    }
  }

  /**
   * {@code find … -exec cmd args ;} (or {@code +}): each action's command is a command of its own.
   */
  private void findActions(List<Field> args, List<String> via) {
    for (int i = 0; i < args.size(); i++) {
      String action = args.get(i).text();
      if (!FIND_ACTIONS.contains(action)) {
        continue;
      }
      int end = i + 1;
      while (end < args.size()
          && !args.get(end).text().equals(";")
          && !args.get(end).text().equals("+")) {
        end++;
      }
      List<Field> command = args.subList(i + 1, end);
      if (!command.isEmpty() && via.size() > MAX_WRAPPERS) {
        analysis.opaque("find -exec nested deeper than " + MAX_WRAPPERS + " not followed");
      } else if (!command.isEmpty()) {
        invoke(
            command, List.of(), List.of(), ShellAnalyzer.with(via, "find " + action), "{}", null);
      }
      i = end;
    }
  }

  /**
   * The words of an {@code env -S} string (its own small quoting language, close to the shell's),
   * or null.
   */
  private List<Field> splitString(Field split) {
    if (split.dynamic()) {
      return null;
    }
    try {
      Script script = ShellAnalyzer.parse(split.text());
      if (script.items().size() != 1
          || !(script.items().get(0) instanceof ShellNode.AndOr list)
          || list.items().size() != 1
          || !(list.items().get(0) instanceof ShellNode.Pipeline pipeline)
          || pipeline.stages().size() != 1
          || !(pipeline.stages().get(0) instanceof ShellNode.SimpleCommand command)
          || !command.redirects().isEmpty()) {
        return null;
      }
      List<Field> fields = new ArrayList<>();
      for (Assignment assignment : command.assignments()) {
        if (assignment.value() == null || assignment.subscript() != null) {
          return null;
        }
        Field value = WordExpander.single(assignment.value(), analysis.home);
        fields.add(new Field(assignment.name() + "=" + value.text(), value.dynamic()));
      }
      for (Word word : command.words()) {
        fields.addAll(WordExpander.fields(word, analysis.home));
      }
      return fields;
    } catch (ShellSyntaxException e) {
      return null;
    }
  }

  /**
   * Words holding the placeholder are only known at run time: {@code find -exec sh -c 'rm {}'} runs
   * code made of file names, and {@code xargs -I{} {}} runs its input as a command.
   */
  private static List<Field> withPlaceholders(List<Field> argv, String placeholder) {
    List<Field> out = new ArrayList<>(argv.size());
    for (Field field : argv) {
      out.add(field.text().contains(placeholder) ? new Field(field.text(), true) : field);
    }
    return out;
  }

  private static String joined(List<Field> fields) {
    List<String> texts = new ArrayList<>();
    fields.forEach(f -> texts.add(f.text()));
    return String.join(" ", texts);
  }

  static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
  }
}
