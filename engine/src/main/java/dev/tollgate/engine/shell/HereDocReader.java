package dev.tollgate.engine.shell;

import java.util.List;

/**
 * Here-documents: the operator registers a pending body, and the body is read line by line after
 * the next newline the parser consumes. A body whose delimiter was not quoted is parsed as a word,
 * since its expansions (and the commands in its substitutions) run.
 */
final class HereDocReader {

  private HereDocReader() {}

  static Redirect register(SourceCursor in, String op, String fd, Word target) {
    String raw = target.raw();
    boolean quoted = raw.indexOf('\'') >= 0 || raw.indexOf('"') >= 0 || raw.indexOf('\\') >= 0;
    Redirect.HereDoc doc = new Redirect.HereDoc(delimiter(raw), quoted, op.equals("<<-"));
    doc.body = new Word(List.of(), "");
    in.pendingHereDocs().add(doc);
    return new Redirect(op, fd, target, doc);
  }

  /** The delimiter is the word after quote removal, without any expansion. */
  private static String delimiter(String raw) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        out.append(raw.charAt(++i));
      } else if (c != '\'' && c != '"') {
        out.append(c);
      }
    }
    String delimiter = out.toString();
    return delimiter.startsWith("$") && raw.startsWith("$'") ? delimiter.substring(1) : delimiter;
  }

  /**
   * Called just after a newline: reads the bodies of every here-document started on the line before
   * it.
   */
  static void readPending(SourceCursor in, ScriptParser parser) throws ShellSyntaxException {
    if (in.pendingHereDocs().isEmpty()) {
      return;
    }
    List<Redirect.HereDoc> docs = List.copyOf(in.pendingHereDocs());
    in.pendingHereDocs().clear();
    for (Redirect.HereDoc doc : docs) {
      readBody(in, doc);
    }
  }

  private static void readBody(SourceCursor in, Redirect.HereDoc doc) throws ShellSyntaxException {
    StringBuilder body = new StringBuilder();
    while (!in.atEnd()) {
      int start = in.pos();
      while (!in.atEnd() && in.peek() != '\n') {
        in.next();
      }
      String line = in.slice(start, in.pos());
      in.eat("\n");
      if (doc.stripTabs) {
        int tabs = 0;
        while (tabs < line.length() && line.charAt(tabs) == '\t') {
          tabs++;
        }
        line = line.substring(tabs);
      }
      if (line.equals(doc.delimiter)) {
        doc.closed = true;
        break;
      }
      body.append(line).append('\n');
    }
    String text = body.toString();
    if (doc.quoted) {
      doc.body = new Word(List.of(new WordPart.Literal(text, true)), text);
      return;
    }
    int depth = in.budget().depth();
    in.budget().enter();
    SourceCursor bodyCursor = new SourceCursor(text, in.budget());
    ScriptParser bodyParser = new ScriptParser(bodyCursor);
    try {
      doc.body = bodyParser.words.read(WordReader.Mode.HERE_DOC);
    } catch (ShellSyntaxException e) {
      if (e.overBudget()) {
        throw e;
      }
      // Kept as one run-time expansion: its value, and what it runs, are unknown.
      doc.body = new Word(List.of(new WordPart.Parameter(text, List.of())), text);
      doc.unparsed = e.getMessage();
    }
    finish(bodyCursor);
    in.budget().restore(depth);
  }

  /**
   * At the end of an input: here-documents still waiting for a body never got their delimiter line.
   */
  static void finish(SourceCursor in) {
    for (Redirect.HereDoc doc : in.pendingHereDocs()) {
      doc.closed = false;
    }
    in.pendingHereDocs().clear();
  }
}
