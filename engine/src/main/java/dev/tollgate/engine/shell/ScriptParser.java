package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser of the Bash language: lists, and-or lists, pipelines and simple commands
 * here; compound commands in {@link CompoundParser}, words in {@link WordReader}, here-document
 * bodies in {@link HereDocReader}. Every step consumes input or fails, so the work is linear in the
 * input; nesting and word count are budgeted.
 */
final class ScriptParser {

  /** Words that end a list when they stand where a command would start. */
  private static final Set<String> LIST_ENDS =
      Set.of("then", "else", "elif", "fi", "do", "done", "esac", "}");

  private static final String[] REDIRECT_OPS = {
    "<<<", "<<-", "<<", "<>", "<&", "<", ">>", ">|", ">&", ">", "&>>", "&>"
  };

  final SourceCursor in;
  final WordReader words;
  private final CompoundParser compounds;
  private final AssignmentReader assignments;

  ScriptParser(SourceCursor in) {
    this.in = in;
    this.words = new WordReader(in, this);
    this.compounds = new CompoundParser(this);
    this.assignments = new AssignmentReader(this);
  }

  /**
   * Parses a whole input; anything left over (a stray {@code )}, {@code fi}…) is a syntax error.
   */
  Script parseAll() throws ShellSyntaxException {
    Script script = parseList();
    if (!in.atEnd()) {
      throw in.error("unexpected token");
    }
    HereDocReader.finish(in);
    return script;
  }

  /**
   * The body of {@code $(…)}, {@code <(…)} or {@code >(…)}: the cursor is after the opening
   * parenthesis.
   */
  Script parseSubstitution() throws ShellSyntaxException {
    in.budget().enter();
    Script script = parseList();
    if (!in.eat(")")) {
      throw in.error("expected ) to close a substitution");
    }
    in.budget().leave();
    return script;
  }

  /** Parses text taken out of this input (a backquoted body) with the same budgets. */
  Script parseNested(String text) throws ShellSyntaxException {
    in.budget().enter();
    Script script = new ScriptParser(new SourceCursor(text, in.budget())).parseAll();
    in.budget().leave();
    return script;
  }

  /**
   * A list of and-or lists separated by {@code ;}, {@code &} or newlines, up to a word or token
   * that ends it.
   */
  Script parseList() throws ShellSyntaxException {
    in.budget().enter();
    List<ShellNode> items = new ArrayList<>();
    while (true) {
      skipLineBreaks();
      if (in.atEnd()
          || in.peek() == ')'
          || in.startsWith(";;")
          || in.startsWith(";&")
          || atListEnd()) {
        break;
      }
      ShellNode.AndOr item = parseAndOr();
      skipBlanks();
      if (in.startsWith(";;") || in.startsWith(";&")) {
        items.add(item);
        break;
      }
      if (in.peek() == '&' && !in.startsWith("&&") && !in.startsWith("&>")) {
        in.next();
        item = new ShellNode.AndOr(item.items(), item.operators(), true);
      } else if (in.peek() == ';') {
        in.next();
      } else if (in.peek() != '\n' && !in.atEnd() && in.peek() != ')' && !atListEnd()) {
        throw in.error("unexpected token");
      }
      items.add(item);
    }
    in.budget().leave();
    return new Script(items);
  }

  private boolean atListEnd() {
    for (String word : LIST_ENDS) {
      if (atKeyword(word)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when the cursor is at {@code word} standing alone (followed by a blank, metacharacter or
   * the end).
   */
  boolean atKeyword(String word) {
    return in.startsWith(word) && WordReader.isMeta(in.charAt(in.pos() + word.length()));
  }

  boolean eatKeyword(String word) {
    if (atKeyword(word)) {
      in.eat(word);
      return true;
    }
    return false;
  }

  void expectKeyword(String word) throws ShellSyntaxException {
    skipLineBreaks();
    if (!eatKeyword(word)) {
      throw in.error("expected '" + word + "'");
    }
  }

  private ShellNode.AndOr parseAndOr() throws ShellSyntaxException {
    List<ShellNode> items = new ArrayList<>();
    List<String> operators = new ArrayList<>();
    items.add(parsePipeline());
    while (true) {
      skipBlanks();
      String op = in.startsWith("&&") ? "&&" : in.startsWith("||") ? "||" : null;
      if (op == null) {
        break;
      }
      in.eat(op);
      skipLineBreaks();
      operators.add(op);
      items.add(parsePipeline());
    }
    return new ShellNode.AndOr(items, operators, false);
  }

  private ShellNode parsePipeline() throws ShellSyntaxException {
    skipBlanks();
    boolean timed = false;
    boolean negated = false;
    while (true) {
      if (eatKeyword("time")) {
        timed = true;
        skipBlanks();
        if (atKeyword("-p")) {
          in.eat("-p");
        }
      } else if (eatKeyword("!")) {
        negated = !negated;
      } else {
        break;
      }
      skipBlanks();
    }
    List<ShellNode> stages = new ArrayList<>();
    if ((timed || negated)
        && (in.atEnd() || in.peek() == ';' || in.peek() == '\n' || in.peek() == ')')) {
      return new ShellNode.Pipeline(stages, negated, timed); // a bare "time" or "!" is valid Bash
    }
    stages.add(parseCommand());
    while (true) {
      skipBlanks();
      if (in.startsWith("||") || !in.startsWith("|")) {
        break;
      }
      in.eat(in.startsWith("|&") ? "|&" : "|");
      skipLineBreaks();
      stages.add(parseCommand());
    }
    return new ShellNode.Pipeline(stages, negated, timed);
  }

  /** A compound command with its redirections, or a simple command, or a function definition. */
  ShellNode parseCommand() throws ShellSyntaxException {
    in.budget().enter();
    skipBlanks();
    if (atListEnd() || atKeyword("in") || atKeyword("]]") || atKeyword("!")) {
      // as Bash: "done", "fi", "in", "]]" cannot start a command, nor "!" one after a pipe
      throw in.error("unexpected reserved word");
    }
    ShellNode compound = compounds.tryParse();
    ShellNode command = compound != null ? compound : parseSimpleCommand();
    in.budget().leave();
    return command;
  }

  private ShellNode parseSimpleCommand() throws ShellSyntaxException {
    List<Assignment> leading = new ArrayList<>();
    List<Word> commandWords = new ArrayList<>();
    List<Redirect> redirects = new ArrayList<>();
    while (true) {
      skipBlanks();
      char c = in.peek();
      if (in.atEnd()
          || c == ';'
          || c == '\n'
          || c == ')'
          || c == '('
          || (c == '|')
          || (c == '&' && !in.startsWith("&>"))) {
        break;
      }
      if (c == '#') {
        skipComment();
        continue;
      }
      Redirect redirect = tryRedirect();
      if (redirect != null) {
        redirects.add(redirect);
        continue;
      }
      boolean assignmentPosition =
          commandWords.isEmpty() || AssignmentReader.isDeclaration(commandWords);
      Word word = words.read(WordReader.Mode.NORMAL, assignmentPosition);
      if (word == null) {
        throw in.error("unexpected character");
      }
      Assignment assignment = assignmentPosition ? assignments.read(word) : null;
      if (assignment != null && commandWords.isEmpty()) {
        leading.add(assignment);
      } else if (assignment != null && assignment.array() != null) {
        commandWords.add(AssignmentReader.arrayWord(word, assignment.array()));
      } else {
        commandWords.add(word);
      }
      if (commandWords.size() == 1
          && leading.isEmpty()
          && redirects.isEmpty()
          && atFunctionParens()) {
        return compounds.functionBody(word.raw());
      }
    }
    if (commandWords.isEmpty() && leading.isEmpty() && redirects.isEmpty()) {
      throw in.error("expected a command");
    }
    return new ShellNode.SimpleCommand(leading, commandWords, redirects);
  }

  /** {@code name ( )}: checks without consuming unless it is one. */
  private boolean atFunctionParens() {
    int save = in.pos();
    skipBlanks();
    if (in.eat("(")) {
      skipBlanks();
      if (in.eat(")")) {
        return true;
      }
    }
    in.seek(save);
    return false;
  }

  /**
   * A redirection at the cursor (with its optional fd or {@code {var}} prefix), else null without
   * consuming.
   */
  Redirect tryRedirect() throws ShellSyntaxException {
    int save = in.pos();
    String fd = "";
    int end = in.pos();
    while (Character.isDigit(in.charAt(end))) {
      end++;
    }
    if (end == in.pos() && in.peek() == '{') {
      end++;
      while (Character.isLetterOrDigit(in.charAt(end)) || in.charAt(end) == '_') {
        end++;
      }
      end = in.charAt(end) == '}' && end > in.pos() + 1 ? end + 1 : in.pos();
    }
    if (end > in.pos() && (in.charAt(end) == '<' || in.charAt(end) == '>')) {
      fd = in.slice(in.pos(), end);
      in.seek(end);
    }
    if ((in.peek() == '<' || in.peek() == '>') && in.peek(1) == '(') {
      in.seek(save);
      return null; // process substitution: a word
    }
    String op = null;
    for (String candidate : REDIRECT_OPS) {
      if (in.startsWith(candidate)) {
        op = candidate;
        break;
      }
    }
    if (op == null || (!fd.isEmpty() && op.startsWith("&"))) {
      in.seek(save);
      return null;
    }
    in.eat(op);
    skipBlanks();
    if (in.peek() == '#' || startsWithDescriptor()) {
      throw in.error("expected a word after " + op); // a comment, or the next redirection's "2>"
    }
    Word target;
    if ((op.equals(">&") || op.equals("<&")) && in.peek() == '-') {
      in.next(); // Bash reads ">&-" as one token: what follows starts a new word (or a comment)
      target = new Word(List.of(new WordPart.Literal("-", false)), "-");
    } else {
      target = words.read(WordReader.Mode.NORMAL);
    }
    if (target == null) {
      throw in.error("expected a word after " + op);
    }
    if (op.equals("<<") || op.equals("<<-")) {
      return HereDocReader.register(in, op, fd, target);
    }
    return new Redirect(op, fd, target, null);
  }

  /** Digits followed by {@code <} or {@code >}: the start of another redirection. */
  private boolean startsWithDescriptor() {
    int end = in.pos();
    while (Character.isDigit(in.charAt(end))) {
      end++;
    }
    return end > in.pos() && (in.charAt(end) == '<' || in.charAt(end) == '>');
  }

  void skipBlanks() {
    while (true) {
      char c = in.peek();
      if (c == ' ' || c == '\t') {
        in.next();
      } else if (c == '\\' && in.peek(1) == '\n') {
        in.next();
        in.next();
      } else {
        return;
      }
    }
  }

  private void skipComment() {
    while (!in.atEnd() && in.peek() != '\n') {
      in.next();
    }
  }

  /**
   * Blanks, comments and newlines; after each newline, the bodies of the here-documents started on
   * that line.
   */
  void skipLineBreaks() throws ShellSyntaxException {
    while (true) {
      skipBlanks();
      if (in.peek() == '#') {
        skipComment();
      } else if (in.peek() == '\n') {
        in.next();
        HereDocReader.readPending(in, this);
      } else {
        return;
      }
    }
  }
}
