package dev.tollgate.engine.shell;

import java.util.List;

/**
 * One piece of a shell word, as the parser found it; quote removal has already been applied to
 * literals.
 */
sealed interface WordPart {

  /** The part as written (for a literal, its text after quote removal). */
  String raw();

  /**
   * Text known before the command runs. {@code quoted} text is never globbed, brace- or
   * tilde-expanded.
   */
  record Literal(String text, boolean quoted) implements WordPart {
    @Override
    public String raw() {
      return text;
    }
  }

  /**
   * A parameter expansion ({@code $x}, {@code ${x:-w}}, {@code $1}…), as written; {@code nested}
   * holds the words inside it that may themselves run commands ({@code ${x:-$(id)}}).
   */
  record Parameter(String raw, List<Word> nested) implements WordPart {}

  /**
   * {@code $(…)}, {@code `…`}, {@code <(…)} or {@code >(…)}: its script is parsed like the top
   * level. Bash parses a backquoted body only when it runs it, so a body that does not parse is no
   * syntax error of the command line: then {@code script} is empty and {@code unparsed} says why
   * (else it is null).
   */
  record Substitution(String kind, String raw, Script script, String unparsed)
      implements WordPart {}

  /**
   * {@code $((…))} or {@code $[…]}: its value is only known at run time; {@code nested} is its text
   * read as a word, for the substitutions inside it ({@code $(( $(wc -l < f) + 1 ))}).
   */
  record Arithmetic(String raw, List<Word> nested) implements WordPart {}

  /** An extended glob such as {@code @(a|b)} or {@code !(x)}, as written. */
  record ExtGlob(String raw) implements WordPart {}
}
