package dev.tollgate.engine.shell;

import dev.tollgate.engine.shell.WordExpander.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The second, folded view of a dynamic simple command ({@link Folding}): {@code P=push; git $P -f}
 * is also seen as {@code git push -f}, {@code $(echo rm) -rf /} as {@code rm -rf /}, and {@code >
 * "$HOME/.bashrc"} as a write of the real file. It is recorded beside the view as written, with
 * {@code via: folded}.
 */
final class FoldedView {

  private static final Set<String> DECLARING =
      Set.of("export", "declare", "typeset", "readonly", "local");

  private FoldedView() {}

  /** {@code NAME=literal} as a statement of its own: later words may fold {@code $NAME}. */
  static void remember(ShellAnalyzer analysis, List<Assignment> assignments) {
    for (Assignment assignment : assignments) {
      if (assignment.value() != null && !assignment.append()) {
        Field value = WordExpander.single(assignment.value(), analysis.home, analysis.folding);
        if (!value.dynamic()) {
          analysis.folding.assign(assignment.name(), value.text());
        }
      }
    }
  }

  /** Records the folded view of {@code command} when it differs from {@code fields}. */
  static void add(
      SimpleCommandAnalyzer commands,
      ShellAnalyzer analysis,
      ShellNode.SimpleCommand command,
      List<Field> fields,
      List<String> assignments,
      List<String> via,
      boolean pipedStdin) {
    rememberDeclared(analysis, fields);
    List<Field> folded = new ArrayList<>();
    for (Word word : command.words()) {
      folded.addAll(WordExpander.fields(word, analysis.home, analysis.folding));
    }
    List<AnalyzedRedirect> redirects = new ArrayList<>();
    for (Redirect redirect : command.redirects()) {
      if (redirect.isHereDoc() || redirect.op().equals("<<<")) {
        continue;
      }
      Field written = WordExpander.single(redirect.target(), analysis.home);
      Field target = WordExpander.single(redirect.target(), analysis.home, analysis.folding);
      String absolute = target.dynamic() ? null : analysis.resolve(target);
      if (absolute != null && !target.equals(written)) {
        redirects.add(new AnalyzedRedirect(redirect.op(), redirect.fd(), absolute, false));
      }
    }
    analysis.redirects.addAll(redirects);
    if (!folded.isEmpty() && !folded.equals(fields)) {
      commands.invoke(
          folded,
          assignments,
          redirects,
          ShellAnalyzer.with(via, "folded"),
          null,
          commands.stdin(command.redirects(), pipedStdin));
    }
  }

  /** {@code export NAME=literal} (and declare, typeset, readonly, local). */
  private static void rememberDeclared(ShellAnalyzer analysis, List<Field> fields) {
    if (!DECLARING.contains(fields.get(0).text())) {
      return;
    }
    for (Field field : fields.subList(1, fields.size())) {
      int eq = field.text().indexOf('=');
      if (!field.dynamic() && eq > 0 && field.text().substring(0, eq).matches("[A-Za-z_]\\w*")) {
        analysis.folding.assign(field.text().substring(0, eq), field.text().substring(eq + 1));
      }
    }
  }
}
