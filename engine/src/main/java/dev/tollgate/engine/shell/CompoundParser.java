package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Compound commands ({@code if}, loops, {@code case}, groups, subshells, {@code [[ ]]}, {@code ((
 * ))}), {@code coproc} and function definitions, for the {@link ScriptParser}.
 */
final class CompoundParser {

  private final ScriptParser parser;
  private final SourceCursor in;

  CompoundParser(ScriptParser parser) {
    this.parser = parser;
    this.in = parser.in;
  }

  /**
   * The compound command at the cursor with its redirections, or null (nothing consumed) if there
   * is none.
   */
  ShellNode tryParse() throws ShellSyntaxException {
    int start = in.pos();
    ShellNode node;
    if (parser.eatKeyword("if")) {
      node = ifCommand(start);
    } else if (parser.eatKeyword("while") || parser.eatKeyword("until")) {
      String kind = in.slice(start, in.pos());
      Script condition = body();
      parser.expectKeyword("do");
      Script loop = body();
      parser.expectKeyword("done");
      node = compound(kind, List.of(condition, loop), List.of(), start);
    } else if (parser.eatKeyword("for") || parser.eatKeyword("select")) {
      node = forCommand(in.slice(start, in.pos()), start);
    } else if (parser.eatKeyword("case")) {
      node = caseCommand(start);
    } else if (parser.eatKeyword("function")) {
      parser.skipBlanks();
      Word name = parser.words.read(WordReader.Mode.NORMAL);
      if (name == null) {
        throw in.error("expected a function name");
      }
      parser.skipBlanks();
      if (in.eat("(")) {
        parser.skipBlanks();
        if (!in.eat(")")) {
          throw in.error("expected ) after function name");
        }
      }
      return functionBody(name.raw());
    } else if (parser.eatKeyword("coproc")) {
      return coproc(start);
    } else if (parser.eatKeyword("{")) {
      Script group = body();
      parser.expectKeyword("}");
      node = compound("group", List.of(group), List.of(), start);
    } else if (parser.eatKeyword("[[")) {
      node = compound("test", List.of(), testWords(), start);
    } else if (in.startsWith("((") && parser.words.arithmeticEnd(in.pos() + 2) > 0) {
      int end = parser.words.arithmeticEnd(in.pos() + 2);
      Word inner = parser.words.arithmeticText(in.pos() + 2, end - 2);
      in.seek(end);
      node = compound("arith", List.of(), List.of(inner), start);
    } else if (in.eat("(")) {
      in.budget().enter();
      Script inner = body();
      if (!in.eat(")")) {
        throw in.error("expected ) to close a subshell");
      }
      in.budget().leave();
      node = compound("subshell", List.of(inner), List.of(), start);
    } else {
      return null;
    }
    return withRedirects((ShellNode.Compound) node);
  }

  private ShellNode.Compound compound(
      String kind, List<Script> bodies, List<Word> words, int start) {
    return new ShellNode.Compound(kind, bodies, words, List.of(), in.slice(start, in.pos()));
  }

  private ShellNode withRedirects(ShellNode.Compound node) throws ShellSyntaxException {
    List<Redirect> redirects = new ArrayList<>();
    while (true) {
      parser.skipBlanks();
      Redirect redirect = parser.tryRedirect();
      if (redirect == null) {
        break;
      }
      redirects.add(redirect);
    }
    if (redirects.isEmpty()) {
      return node;
    }
    return new ShellNode.Compound(node.kind(), node.bodies(), node.words(), redirects, node.text());
  }

  /** A list that must not be empty, as Bash requires of every compound body. */
  private Script body() throws ShellSyntaxException {
    Script script = parser.parseList();
    if (script.items().isEmpty()) {
      throw in.error("expected a command");
    }
    return script;
  }

  private ShellNode ifCommand(int start) throws ShellSyntaxException {
    List<Script> bodies = new ArrayList<>();
    bodies.add(body());
    parser.expectKeyword("then");
    bodies.add(body());
    while (true) {
      parser.skipLineBreaks();
      if (parser.eatKeyword("elif")) {
        bodies.add(body());
        parser.expectKeyword("then");
        bodies.add(body());
      } else if (parser.eatKeyword("else")) {
        bodies.add(body());
        parser.expectKeyword("fi");
        break;
      } else {
        parser.expectKeyword("fi");
        break;
      }
    }
    return compound("if", bodies, List.of(), start);
  }

  private ShellNode forCommand(String kind, int start) throws ShellSyntaxException {
    parser.skipBlanks();
    if (kind.equals("for") && in.startsWith("((")) {
      int end = parser.words.arithmeticEnd(in.pos() + 2);
      if (end < 0) {
        throw in.error("unterminated for ((");
      }
      if (topLevelSemicolons(in.slice(in.pos() + 2, end - 2)) != 2) {
        throw in.error("arithmetic for needs three expressions");
      }
      Word inner = parser.words.arithmeticText(in.pos() + 2, end - 2);
      in.seek(end);
      parser.skipBlanks();
      in.eat(";");
      parser.skipLineBreaks();
      return loopBody("arith-for", List.of(inner), start);
    }
    Word name = parser.words.read(WordReader.Mode.NORMAL);
    if (name == null || name.literalText() == null) {
      throw in.error("expected a loop variable");
    }
    List<Word> items = new ArrayList<>();
    parser.skipLineBreaks();
    if (parser.eatKeyword("in")) {
      while (true) {
        parser.skipBlanks();
        if (in.peek() == '#') {
          while (!in.atEnd() && in.peek() != '\n') {
            in.next(); // a comment ends the list like the newline after it
          }
        }
        if (in.peek() == ';' || in.peek() == '\n' || in.atEnd()) {
          break;
        }
        Word item = parser.words.read(WordReader.Mode.NORMAL);
        if (item == null) {
          throw in.error("expected a word in the for list");
        }
        items.add(item);
      }
      in.eat(";");
    } else {
      in.eat(";");
    }
    parser.skipLineBreaks();
    return loopBody(kind, items, start);
  }

  private static int topLevelSemicolons(String text) {
    int depth = 0;
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      count += c == ';' && depth == 0 ? 1 : 0;
    }
    return count;
  }

  private ShellNode loopBody(String kind, List<Word> items, int start) throws ShellSyntaxException {
    Script loop;
    if (parser.eatKeyword("{")) {
      loop = body();
      parser.expectKeyword("}");
    } else {
      parser.expectKeyword("do");
      loop = body();
      parser.expectKeyword("done");
    }
    return compound(kind, List.of(loop), items, start);
  }

  private ShellNode caseCommand(int start) throws ShellSyntaxException {
    parser.skipBlanks();
    List<Word> words = new ArrayList<>();
    Word subject = parser.words.read(WordReader.Mode.NORMAL);
    if (subject == null) {
      throw in.error("expected a word after case");
    }
    words.add(subject);
    parser.skipLineBreaks();
    parser.expectKeyword("in");
    List<Script> bodies = new ArrayList<>();
    while (true) {
      parser.skipLineBreaks();
      if (parser.eatKeyword("esac")) {
        break;
      }
      in.eat("(");
      while (true) {
        parser.skipBlanks();
        Word pattern = parser.words.read(WordReader.Mode.NORMAL);
        if (pattern == null) {
          throw in.error("expected a case pattern");
        }
        words.add(pattern);
        parser.skipBlanks();
        if (!in.startsWith("|") || in.startsWith("||")) {
          break;
        }
        in.next();
      }
      if (!in.eat(")")) {
        throw in.error("expected ) after a case pattern");
      }
      bodies.add(parser.parseList());
      parser.skipBlanks();
      if (!in.eat(";;&") && !in.eat(";;") && !in.eat(";&")) {
        parser.expectKeyword("esac");
        break;
      }
    }
    return compound("case", bodies, words, start);
  }

  /** The operands of {@code [[ … ]]}, once its expression is checked the way Bash checks it. */
  private List<Word> testWords() throws ShellSyntaxException {
    List<Word> words = new ArrayList<>();
    List<Object> tokens = new ArrayList<>();
    while (true) {
      parser.skipBlanks();
      while (in.peek() == '\n') {
        parser.skipLineBreaks();
      }
      if (parser.eatKeyword("]]")) {
        ConditionalExpression.check(tokens, in);
        return words;
      }
      String op = null;
      for (String candidate : new String[] {"&&", "||", "(", ")", "<", ">"}) {
        if (op == null && in.eat(candidate)) {
          op = candidate;
        }
      }
      if (op != null) {
        tokens.add(op);
        continue;
      }
      Word word = parser.words.read(WordReader.Mode.NORMAL);
      if (word == null) {
        throw in.error("unexpected token in [[ ]]");
      }
      words.add(word);
      tokens.add(word);
      if (word.isBare("=~")) {
        parser.skipBlanks();
        Word regex = parser.words.read(WordReader.Mode.REGEX);
        if (regex == null) {
          throw in.error("expected a regex after =~");
        }
        words.add(regex);
        tokens.add(regex);
      }
    }
  }

  /** After {@code name ()} or {@code function name}: the body is a compound command. */
  ShellNode functionBody(String name) throws ShellSyntaxException {
    parser.skipLineBreaks();
    in.budget().enter();
    ShellNode body = tryParse();
    in.budget().leave();
    if (body == null) {
      throw in.error("expected a compound command as the body of function " + name);
    }
    return new ShellNode.FunctionDef(name, body);
  }

  /**
   * {@code coproc NAME compound} or {@code coproc command}; the name is looked at without parsing
   * it twice.
   */
  private ShellNode coproc(int start) throws ShellSyntaxException {
    parser.skipBlanks();
    int save = in.pos();
    while (Character.isLetterOrDigit(in.peek()) || in.peek() == '_') {
      in.next();
    }
    if (in.pos() > save && (in.peek() == ' ' || in.peek() == '\t')) {
      parser.skipBlanks();
      if (in.peek() == '{'
          || in.peek() == '('
          || parser.atKeyword("while")
          || parser.atKeyword("until")
          || parser.atKeyword("if")
          || parser.atKeyword("for")
          || parser.atKeyword("case")) {
        ShellNode named = tryParse();
        if (named != null) {
          return compound("coproc", List.of(new Script(List.of(named))), List.of(), start);
        }
      }
    }
    in.seek(save);
    ShellNode command = parser.parseCommand();
    return compound("coproc", List.of(new Script(List.of(command))), List.of(), start);
  }
}
