package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Variable assignments for the {@link ScriptParser}: {@code a=b}, {@code a+=b}, {@code a[i]=b},
 * {@code a[$i]=b}, arrays {@code a=(x y)}, and the array arguments of declaration builtins ({@code
 * declare -a a=(x $(id))}).
 */
final class AssignmentReader {

  private static final Set<String> DECLARATIONS =
      Set.of("declare", "typeset", "local", "export", "readonly");
  private static final Pattern ASSIGNMENT =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\[[^\\]]*\\])?\\+?=.*", Pattern.DOTALL);
  private static final Pattern SUBSCRIPT_START =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\[[^\\]=]*");

  private final ScriptParser parser;

  AssignmentReader(ScriptParser parser) {
    this.parser = parser;
  }

  static boolean isDeclaration(List<Word> commandWords) {
    String name = commandWords.get(0).literalText();
    return name != null && DECLARATIONS.contains(name);
  }

  /**
   * Splits {@code NAME=value} (or {@code NAME=(…)}, reading the array) into an assignment; null if
   * not one.
   */
  Assignment read(Word word) throws ShellSyntaxException {
    if (word.parts().isEmpty()
        || !(word.parts().get(0) instanceof WordPart.Literal first)
        || first.quoted()) {
      return null;
    }
    if (!ASSIGNMENT.matcher(first.text()).matches()) {
      return SUBSCRIPT_START.matcher(first.text()).matches() ? subscriptedAssignment(word) : null;
    }
    int eq = first.text().indexOf('=');
    boolean append = eq > 0 && first.text().charAt(eq - 1) == '+';
    String name = first.text().substring(0, append ? eq - 1 : eq);
    SourceCursor in = parser.in;
    if (word.raw().endsWith("=")
        && word.parts().size() == 1
        && first.text().length() == eq + 1
        && in.peek() == '(') {
      in.next();
      List<Word> elements = new ArrayList<>();
      while (true) {
        parser.skipLineBreaks();
        if (in.eat(")")) {
          return new Assignment(name, append, null, elements, null);
        }
        Word element = parser.words.read(WordReader.Mode.NORMAL);
        if (element == null) {
          throw in.error("expected ) to close an array");
        }
        elements.add(element);
      }
    }
    List<WordPart> valueParts = new ArrayList<>();
    String rest = first.text().substring(eq + 1);
    if (!rest.isEmpty()) {
      valueParts.add(new WordPart.Literal(rest, false));
    }
    valueParts.addAll(word.parts().subList(1, word.parts().size()));
    String rawValue =
        word.raw().substring(Math.min(word.raw().length(), word.raw().indexOf('=') + 1));
    return new Assignment(name, append, new Word(valueParts, rawValue), null, null);
  }

  /**
   * {@code a[$i]=v}: the subscript holds an expansion, so the {@code ]=} comes in a later literal
   * part.
   */
  private static Assignment subscriptedAssignment(Word word) {
    List<WordPart> parts = word.parts();
    StringBuilder name = new StringBuilder();
    for (int k = 0; k < parts.size(); k++) {
      WordPart part = parts.get(k);
      int close =
          part instanceof WordPart.Literal literal && !literal.quoted() && k > 0
              ? literal.text().indexOf("]")
              : -1;
      String text = part.raw();
      if (close >= 0 && (text.startsWith("=", close + 1) || text.startsWith("+=", close + 1))) {
        boolean append = text.charAt(close + 1) == '+';
        name.append(text, 0, close + 1);
        List<WordPart> value = new ArrayList<>();
        String rest = text.substring(close + (append ? 3 : 2));
        if (!rest.isEmpty()) {
          value.add(new WordPart.Literal(rest, false));
        }
        value.addAll(parts.subList(k + 1, parts.size()));
        String raw = word.raw();
        int eq = raw.indexOf(append ? "]+=" : "]=");
        Word subscript = new Word(parts.subList(0, k), name.toString());
        return new Assignment(
            name.toString(),
            append,
            new Word(value, raw.substring(eq + (append ? 3 : 2))),
            null,
            subscript);
      }
      name.append(text);
    }
    return null;
  }

  /**
   * {@code declare a=(x y)} as one argument word, keeping the elements' parts (they may run
   * commands).
   */
  static Word arrayWord(Word head, List<Word> elements) {
    List<WordPart> parts = new ArrayList<>(head.parts());
    StringBuilder raw = new StringBuilder(head.raw()).append('(');
    parts.add(new WordPart.Literal("(", true));
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        parts.add(new WordPart.Literal(" ", true));
        raw.append(' ');
      }
      parts.addAll(elements.get(i).parts());
      raw.append(elements.get(i).raw());
    }
    parts.add(new WordPart.Literal(")", true));
    return new Word(parts, raw.append(')').toString());
  }
}
