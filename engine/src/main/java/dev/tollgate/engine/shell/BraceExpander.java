package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Bash brace expansion ({@code {a,b}}, {@code {1..3}}, {@code {a..e..2}}, nested) over text whose
 * characters are marked active (unquoted, literal) or not, so that {@code git {push,-f}} is seen as
 * {@code git push -f}. Bounded: past {@link #MAX_RESULTS} words, {@link #MAX_CHARS} characters or
 * {@link #MAX_NESTING} brace pairs it gives up and returns null.
 */
final class BraceExpander {

  static final int MAX_RESULTS = 1024;
  static final int MAX_CHARS = 256 * 1024;
  static final int MAX_NESTING = 64;

  /** A text and which of its characters may take part in expansions. */
  record Marked(String text, BitSet active) {

    Marked slice(int from, int to) {
      return new Marked(text.substring(from, to), active.get(from, to));
    }

    Marked append(Marked other) {
      BitSet bits = (BitSet) active.clone();
      for (int i = other.active.nextSetBit(0); i >= 0; i = other.active.nextSetBit(i + 1)) {
        bits.set(text.length() + i);
      }
      return new Marked(text + other.text, bits);
    }

    boolean activeAt(int i, char c) {
      return i < text.length() && text.charAt(i) == c && active.get(i);
    }
  }

  private final List<Marked> results = new ArrayList<>();
  private int chars;
  private boolean overflow;

  private BraceExpander() {}

  /** The expansions of {@code word}, or null when they would exceed the budget. */
  static List<Marked> expand(Marked word) {
    BraceExpander expander = new BraceExpander();
    expander.expandFrom(word, 0, 0);
    return expander.overflow ? null : expander.results;
  }

  private void expandFrom(Marked word, int from, int depth) {
    if (depth > MAX_NESTING) {
      overflow = true;
    }
    if (overflow) {
      return;
    }
    for (int open = from; open < word.text().length(); open++) {
      if (!word.activeAt(open, '{') || (open > 0 && word.activeAt(open - 1, '$'))) {
        continue;
      }
      List<Integer> commas = new ArrayList<>();
      int close = matchingClose(word, open, commas);
      if (close < 0) {
        continue;
      }
      List<Marked> items = new ArrayList<>();
      if (!commas.isEmpty()) {
        int start = open + 1;
        for (int comma : commas) {
          items.add(word.slice(start, comma));
          start = comma + 1;
        }
        items.add(word.slice(start, close));
      } else {
        List<String> sequence =
            BraceSequence.items(word.text().substring(open + 1, close), MAX_RESULTS);
        if (sequence == null) {
          continue;
        }
        for (String item : sequence) {
          // A generated backslash is unquoted text: quote removal applies to it later, as in Bash.
          BitSet active = new BitSet();
          active.set(0, item.equals("\\") ? 1 : 0);
          items.add(new Marked(item, active));
        }
      }
      Marked prefix = word.slice(0, open);
      Marked suffix = word.slice(close + 1, word.text().length());
      for (Marked item : items) {
        expandFrom(prefix.append(item).append(suffix), open, depth + 1);
        if (overflow) {
          return;
        }
      }
      return;
    }
    chars += word.text().length();
    results.add(word);
    overflow = results.size() > MAX_RESULTS || chars > MAX_CHARS;
  }

  /**
   * The index of the active {@code }} closing the brace at {@code open}, collecting top-level
   * commas; or -1.
   */
  private static int matchingClose(Marked word, int open, List<Integer> commas) {
    int depth = 0;
    for (int i = open; i < word.text().length(); i++) {
      if (word.activeAt(i, '{')) {
        depth++;
      } else if (word.activeAt(i, '}')) {
        if (--depth == 0) {
          return i;
        }
      } else if (depth == 1 && word.activeAt(i, ',')) {
        commas.add(i);
      }
    }
    return -1;
  }
}
