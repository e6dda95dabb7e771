package dev.tollgate.engine.shell;

import dev.tollgate.engine.shell.WordExpander.Field;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Parses a Bash command line (a real parser of the language, see {@link ScriptParser}) and reports
 * what it will run: every simple command wherever it occurs and through whichever wrappers, its
 * redirections with absolute targets, the code it hands to interpreters, and whether anything
 * escapes this view ({@code opaque}).
 *
 * <p>It never throws and never guesses in the permissive direction: input it cannot parse, or that
 * exceeds the budgets (64 KiB, 10,000 words, 64 nesting levels, 8 levels of re-parsed {@code sh -c}
 * strings), is opaque with a reason.
 */
public final class ShellAnalyzer {

  /** Inputs longer than this are not parsed: the result is opaque. */
  public static final int MAX_INPUT_CHARS = 64 * 1024;

  static final int MAX_REPARSE_DEPTH = 8;
  static final int MAX_TOTAL_CHARS = 1024 * 1024;
  private static final int MAX_REASONS = 32;
  private static final int MAX_REASON_CHARS = 160;

  final String home;

  /**
   * The working directory the next command runs in; null once it is unknown (after {@code cd $X}).
   */
  String cwd;

  /**
   * True after {@code set -e}: a failing {@code cd} then ends the shell instead of leaving the
   * directory as is.
   */
  boolean errexit;

  final List<AnalyzedCommand> commands = new ArrayList<>();
  final List<AnalyzedRedirect> redirects = new ArrayList<>();
  final List<InlineCode> inlineCode = new ArrayList<>();
  private final Set<String> opaqueReasons = new LinkedHashSet<>();
  private final SimpleCommandAnalyzer simpleCommands = new SimpleCommandAnalyzer(this);
  private int reparseDepth;
  private int parsedChars;

  private ShellAnalyzer(String cwd, String home) {
    this.cwd = cwd;
    this.home = home;
  }

  /**
   * Analyzes a Bash command line.
   *
   * @param command the command line as the agent gave it (may span lines, contain here-documents…)
   * @param cwd the agent's working directory, absolute ("/" when unknown)
   * @param home the agent's home directory, for {@code ~}
   * @return the analysis; never null, never an exception
   */
  public static ShellAnalysis analyze(String command, String cwd, String home) {
    String safeHome = home == null || home.isEmpty() ? "/" : PathResolver.normalize(home);
    String safeCwd = cwd == null || !cwd.startsWith("/") ? "/" : PathResolver.normalize(cwd);
    ShellAnalyzer analyzer = new ShellAnalyzer(safeCwd, safeHome);
    analyzer.analyzeText(command == null ? "" : command, List.of(), "command line", true);
    return new ShellAnalysis(
        analyzer.commands,
        analyzer.redirects,
        analyzer.inlineCode,
        !analyzer.opaqueReasons.isEmpty(),
        List.copyOf(analyzer.opaqueReasons));
  }

  /** Parses text with fresh budgets; a syntax error or an exceeded budget is the exception. */
  static Script parse(String text) throws ShellSyntaxException {
    if (text.length() > MAX_INPUT_CHARS) {
      throw new ShellSyntaxException("longer than " + MAX_INPUT_CHARS + " characters", true);
    }
    return new ScriptParser(new SourceCursor(text, new SourceCursor.Budget())).parseAll();
  }

  /**
   * Records why the result is opaque; reasons quote input, so they are shortened and their number
   * capped.
   */
  void opaque(String reason) {
    if (opaqueReasons.size() < MAX_REASONS) {
      opaqueReasons.add(
          reason.length() > MAX_REASON_CHARS
              ? reason.substring(0, MAX_REASON_CHARS) + "…"
              : reason);
    }
  }

  /**
   * Parses and walks {@code text} (the command line, or code it hands to a shell) reached through
   * {@code via}. Code run by another process ({@code sh -c}) or later ({@code trap}) leaves this
   * shell's directory as it was; code of the same shell ({@code eval}, {@code source}) may change
   * it.
   */
  void analyzeText(String text, List<String> via, String what, boolean sameShell) {
    parsedChars += text.length();
    if (reparseDepth >= MAX_REPARSE_DEPTH || parsedChars > MAX_TOTAL_CHARS) {
      opaque(what + " not analyzed: shell code nested or repeated beyond the budget");
      return;
    }
    Script script;
    try {
      script = parse(text);
    } catch (ShellSyntaxException e) {
      opaque(what + (e.overBudget() ? " over budget: " : " not parsed: ") + e.getMessage());
      return;
    }
    String savedCwd = cwd;
    boolean savedErrexit = errexit;
    if (!sameShell) {
      errexit = false;
    }
    reparseDepth++;
    walkScript(script, via, false);
    reparseDepth--;
    if (!sameShell) {
      cwd = savedCwd;
      errexit = savedErrexit;
    }
  }

  void walkScript(Script script, List<String> via, boolean pipedStdin) {
    for (ShellNode node : script.items()) {
      walkNode(node, via, pipedStdin);
    }
  }

  private void walkNode(ShellNode node, List<String> via, boolean pipedStdin) {
    if (node instanceof ShellNode.SimpleCommand command) {
      simpleCommands.analyze(command, via, pipedStdin);
    } else if (node instanceof ShellNode.Pipeline pipeline) {
      if (pipeline.stages().size() == 1) {
        walkNode(pipeline.stages().get(0), via, pipedStdin);
        return;
      }
      // Every stage of a multi-stage pipeline runs in a subshell: a cd there does not outlive it.
      String before = cwd;
      for (int i = 0; i < pipeline.stages().size(); i++) {
        cwd = before;
        walkNode(pipeline.stages().get(i), via, pipedStdin || i > 0);
      }
      cwd = before;
    } else if (node instanceof ShellNode.AndOr list) {
      walkAndOr(list, via, pipedStdin);
    } else if (node instanceof ShellNode.Compound compound) {
      walkCompound(compound, via, pipedStdin);
    } else if (node instanceof ShellNode.FunctionDef function) {
      opaque("function definition: " + function.name() + " (its later calls are not followed)");
      String before = cwd;
      walkNode(function.body(), with(via, "function " + function.name()), pipedStdin);
      cwd = before;
    }
  }

  /**
   * An and-or list, with what a {@code cd} in it leaves certain: {@code cd D && x} runs x in D, but
   * after {@code cd D; x} or {@code cd D && y; x}, x runs in D only if the cd succeeded. A failed
   * cd is how an attacker would make a command seem to run elsewhere, so the directory after the
   * list is known only when a failure cannot go on: {@code cd D || exit}, or a lone {@code cd D}
   * under {@code set -e}.
   */
  private void walkAndOr(ShellNode.AndOr list, List<String> via, boolean pipedStdin) {
    String start = cwd;
    String beforeLast = cwd;
    int last = list.items().size() - 1;
    for (int i = 0; i <= last; i++) {
      if (i == last) {
        beforeLast = cwd;
      }
      if (i > 0 && list.operators().get(i - 1).equals("||") && !Objects.equals(cwd, start)) {
        cwd = null; // runs when something before failed: before or after a cd, unknown
      }
      walkNode(list.items().get(i), via, pipedStdin);
    }
    if (list.background()) {
      cwd = start;
    } else if (last > 0
        && list.operators().get(last - 1).equals("||")
        && terminates(list.items().get(last))) {
      cwd = beforeLast;
    } else if (!Objects.equals(cwd, start)
        && !(last == 0 && (errexit || isGroup(list.items().get(0))))) {
      cwd = null; // (a lone group already decided inside what its cd leaves certain)
    }
  }

  private static boolean isGroup(ShellNode node) {
    return node instanceof ShellNode.Pipeline pipeline
        && pipeline.stages().size() == 1
        && pipeline.stages().get(0) instanceof ShellNode.Compound compound
        && compound.kind().equals("group");
  }

  /** True for {@code exit}, {@code return}, or a group or pipeline that ends with one. */
  private static boolean terminates(ShellNode node) {
    if (node instanceof ShellNode.SimpleCommand command) {
      String name = command.words().isEmpty() ? null : command.words().get(0).literalText();
      return "exit".equals(name) || "return".equals(name);
    }
    if (node instanceof ShellNode.Pipeline pipeline) {
      return pipeline.stages().size() == 1
          && !pipeline.negated()
          && terminates(pipeline.stages().get(0));
    }
    if (node instanceof ShellNode.AndOr list) {
      return list.operators().stream().allMatch("&&"::equals)
          && terminates(list.items().get(list.items().size() - 1));
    }
    if (node instanceof ShellNode.Compound compound && compound.kind().equals("group")) {
      List<ShellNode> items = compound.bodies().get(0).items();
      return !items.isEmpty() && terminates(items.get(items.size() - 1));
    }
    return false;
  }

  private void walkCompound(ShellNode.Compound compound, List<String> via, boolean pipedStdin) {
    String before = cwd;
    for (Word word : compound.words()) {
      walkSubstitutions(word, via);
    }
    for (Redirect redirect : compound.redirects()) {
      redirects.add(simpleCommands.redirect(redirect));
      walkRedirectWords(redirect, via);
    }
    for (Script body : compound.bodies()) {
      walkScript(body, via, pipedStdin);
    }
    switch (compound.kind()) {
      case "group" -> {
        // runs in this shell: a cd inside it stays in effect
      }
      case "subshell", "coproc" -> cwd = before;
      default -> {
        // a branch or loop may or may not have run: a changed directory is no longer known
        if (!Objects.equals(before, cwd)) {
          cwd = null;
        }
      }
    }
  }

  /**
   * Walks the commands inside a word's substitutions (and inside {@code ${x:-$(…)}}), each in a
   * subshell.
   */
  void walkSubstitutions(Word word, List<String> via) {
    for (WordPart part : word.parts()) {
      if (part instanceof WordPart.Substitution substitution) {
        if (substitution.unparsed() != null) {
          opaque("backquoted command not parsed: " + substitution.unparsed());
        }
        String before = cwd;
        walkScript(
            substitution.script(),
            with(via, substitution.kind().equals("`") ? "``" : substitution.kind() + ")"),
            false);
        cwd = before;
      } else if (part instanceof WordPart.Parameter parameter) {
        for (Word nested : parameter.nested()) {
          walkSubstitutions(nested, via);
        }
      } else if (part instanceof WordPart.Arithmetic arithmetic) {
        for (Word nested : arithmetic.nested()) {
          walkSubstitutions(nested, via);
        }
      }
    }
  }

  void walkRedirectWords(Redirect redirect, List<String> via) {
    walkSubstitutions(redirect.target(), via);
    if (redirect.hereDoc() != null) {
      if (redirect.hereDoc().unparsed != null) {
        opaque("here-document body not parsed: " + redirect.hereDoc().unparsed);
      }
      if (!redirect.hereDoc().closed) {
        opaque("here-document delimiter " + redirect.hereDoc().delimiter + " never closes");
      }
      walkSubstitutions(redirect.hereDoc().body, via);
    }
  }

  /**
   * The absolute form of a path argument in the current directory, or null when it cannot be known.
   */
  String resolve(Field path) {
    return path.dynamic() ? null : PathResolver.resolve(path.text(), cwd, home);
  }

  static List<String> with(List<String> via, String label) {
    List<String> longer = new ArrayList<>(via);
    longer.add(label);
    return List.copyOf(longer);
  }
}
