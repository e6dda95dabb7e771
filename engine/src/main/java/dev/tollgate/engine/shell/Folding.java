package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values a word's expansions take that the command line itself states: {@code $HOME}, a variable
 * given a literal value earlier ({@code P=push; git $P}), and the output of {@code $(echo …)} and
 * {@code $(printf …)} with literal arguments. The analyzer uses them for a second, folded view of a
 * dynamic command ({@code via: folded}) beside the view as written.
 *
 * <p>Why a second view and not a replacement: the value a variable has when the command runs may
 * not be the one folded here (an assignment in a subshell or behind {@code ||}, a value from the
 * environment). The view as written stays, with its run-time parts marked, so every rule that holds
 * or denies dynamic commands still applies; the folded view only adds what the command would do
 * with the stated values. Adding a command can make a policy stricter, never looser: an Allow needs
 * every command allowed, a Deny or an approval needs one.
 */
final class Folding {

  static final Folding NONE = new Folding(null);

  private static final Pattern SIMPLE_PARAMETER =
      Pattern.compile("\\$(?:([A-Za-z_][A-Za-z0-9_]*)|\\{([A-Za-z_][A-Za-z0-9_]*)\\})");
  private static final int MAX_VALUE = 4_096;

  private final Map<String, String> values;

  private Folding(Map<String, String> values) {
    this.values = values;
  }

  /** Folding that starts knowing {@code $HOME}. */
  static Folding withHome(String home) {
    Map<String, String> values = new HashMap<>();
    values.put("HOME", home);
    return new Folding(values);
  }

  boolean active() {
    return values != null;
  }

  /** Remembers a literal value given to a variable (the last one given wins). */
  void assign(String name, String value) {
    if (values != null && value.length() <= MAX_VALUE && !name.equals("HOME")) {
      values.put(name, value);
    }
  }

  /** The value a word part takes, when the command line states it. */
  Optional<String> valueOf(WordPart part, String home) {
    if (values == null) {
      return Optional.empty();
    }
    if (part instanceof WordPart.Parameter parameter) {
      Matcher simple = SIMPLE_PARAMETER.matcher(parameter.raw());
      if (simple.matches()) {
        String name = simple.group(1) != null ? simple.group(1) : simple.group(2);
        return Optional.ofNullable(values.get(name));
      }
    } else if (part instanceof WordPart.Substitution substitution
        && substitution.script() != null
        && (substitution.kind().equals("$(") || substitution.kind().equals("`"))) {
      return output(substitution.script(), home);
    }
    return Optional.empty();
  }

  /** What {@code echo} or {@code printf} with literal arguments prints, as $(…) keeps it. */
  private Optional<String> output(Script script, String home) {
    if (script.items().size() != 1
        || !(single(script.items().get(0)) instanceof ShellNode.SimpleCommand command)
        || !command.assignments().isEmpty()
        || !command.redirects().isEmpty()
        || command.words().isEmpty()) {
      return Optional.empty();
    }
    List<WordExpander.Field> argv = new ArrayList<>();
    for (Word word : command.words()) {
      argv.addAll(WordExpander.fields(word, home, this));
    }
    if (argv.stream().anyMatch(WordExpander.Field::dynamic)) {
      return Optional.empty();
    }
    List<String> args = argv.stream().map(WordExpander.Field::text).toList();
    String printed =
        switch (args.get(0)) {
          case "echo" -> echo(args.subList(1, args.size()));
          case "printf" ->
              args.size() < 2 ? null : printf(args.get(1), args.subList(2, args.size()));
          default -> null;
        };
    if (printed == null) {
      return Optional.empty();
    }
    return Optional.of(printed.replaceAll("\n+$", ""));
  }

  /** The one command a list or pipeline of one element holds, else the node itself. */
  private static ShellNode single(ShellNode node) {
    if (node instanceof ShellNode.AndOr list && list.items().size() == 1 && !list.background()) {
      return single(list.items().get(0));
    }
    if (node instanceof ShellNode.Pipeline pipeline
        && pipeline.stages().size() == 1
        && !pipeline.negated()) {
      return single(pipeline.stages().get(0));
    }
    return node;
  }

  private static String echo(List<String> args) {
    int first = 0;
    while (first < args.size() && args.get(first).matches("-[neE]+")) {
      first++;
    }
    return String.join(" ", args.subList(first, args.size()));
  }

  /** {@code %s} and {@code %%} only, the format reused while arguments remain, as printf does. */
  private static String printf(String format, List<String> args) {
    if (format.replace("%%", "").replace("%s", "").contains("%")) {
      return null;
    }
    String unescaped = format.replace("\\n", "\n").replace("\\t", "\t");
    StringBuilder out = new StringBuilder();
    int next = 0;
    do {
      StringBuilder pass = new StringBuilder();
      for (int i = 0; i < unescaped.length(); i++) {
        char c = unescaped.charAt(i);
        if (c == '%' && i + 1 < unescaped.length()) {
          char directive = unescaped.charAt(++i);
          pass.append(directive == 's' ? (next < args.size() ? args.get(next++) : "") : "%");
        } else {
          pass.append(c);
        }
      }
      out.append(pass);
    } while (next < args.size() && unescaped.contains("%s"));
    return out.toString();
  }
}
