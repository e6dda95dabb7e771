package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The simple commands of a parsed script as the differential test compares them with mvdan.cc/sh:
 * name and arguments after quote removal, null for a word with a run-time expansion; sorted, since
 * the two walk in different orders.
 */
final class LiteralCommands {

  private static final Set<String> DECLARATIONS =
      Set.of("declare", "typeset", "local", "export", "readonly");

  private final List<List<String>> commands = new ArrayList<>();
  private final List<ShellNode.SimpleCommand> nodes = new ArrayList<>();

  private LiteralCommands() {}

  static List<List<String>> of(Script script) {
    LiteralCommands walker = new LiteralCommands();
    walker.script(script);
    return sorted(walker.commands);
  }

  /** Every simple command of the script, wherever it is (substitutions, here-documents, bodies). */
  static List<ShellNode.SimpleCommand> all(Script script) {
    LiteralCommands walker = new LiteralCommands();
    walker.script(script);
    return walker.nodes;
  }

  static List<List<String>> sorted(List<List<String>> commands) {
    List<List<String>> copy = new ArrayList<>(commands);
    copy.sort(Comparator.comparing(c -> c.toString()));
    return copy;
  }

  private void script(Script script) {
    script.items().forEach(this::node);
  }

  private void node(ShellNode node) {
    if (node instanceof ShellNode.SimpleCommand command) {
      simple(command);
    } else if (node instanceof ShellNode.Pipeline pipeline) {
      pipeline.stages().forEach(this::node);
    } else if (node instanceof ShellNode.AndOr list) {
      list.items().forEach(this::node);
    } else if (node instanceof ShellNode.Compound compound) {
      compound.words().forEach(this::word);
      compound.bodies().forEach(this::script);
      compound.redirects().forEach(this::redirect);
    } else if (node instanceof ShellNode.FunctionDef function) {
      node(function.body());
    }
  }

  private void simple(ShellNode.SimpleCommand command) {
    nodes.add(command);
    if (!command.words().isEmpty()) {
      List<String> literal = new ArrayList<>();
      String name = command.words().get(0).literalText();
      for (Word word : command.words()) {
        boolean array = DECLARATIONS.contains(Objects.toString(name)) && word.raw().contains("=(");
        literal.add(array ? null : word.literalText());
      }
      if ("let".equals(name)) {
        literal = List.of("let", "*");
      }
      commands.add(literal);
    }
    for (Assignment assignment : command.assignments()) {
      if (assignment.subscript() != null) {
        word(assignment.subscript());
      }
      if (assignment.value() != null) {
        word(assignment.value());
      } else {
        assignment.array().forEach(this::word);
      }
    }
    command.words().forEach(this::word);
    command.redirects().forEach(this::redirect);
  }

  private void redirect(Redirect redirect) {
    word(redirect.target());
    if (redirect.hereDoc() != null && redirect.hereDoc().body != null) {
      word(redirect.hereDoc().body);
    }
  }

  private void word(Word word) {
    for (WordPart part : word.parts()) {
      if (part instanceof WordPart.Substitution substitution) {
        script(substitution.script());
      } else if (part instanceof WordPart.Parameter parameter) {
        parameter.nested().forEach(this::word);
      } else if (part instanceof WordPart.Arithmetic arithmetic) {
        arithmetic.nested().forEach(this::word);
      }
    }
  }
}
