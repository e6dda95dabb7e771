package dev.tollgate.engine.cel;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CEL's {@code matches}, with compiled patterns kept by source. CEL-Java compiles the pattern on
 * every call, which was most of a decision's cost for shell rules (RE2 semantics unchanged: a match
 * anywhere in the text). Bounded: a pattern built at run time from agent input must not grow it
 * without limit; beyond the bound patterns are compiled per call, as before. Public so that a CEL
 * runtime built outside the engine (the benchmarks' prototypes) binds the same {@code matches}.
 *
 * <p>Text that holds none of the strings every match needs ({@link RequiredLiterals}) is answered
 * without running the pattern: most paths a secrets rule looks at hold no {@code .env}.
 */
public final class RegexCache {

  private static final int LIMIT = 1_024;

  private final ConcurrentHashMap<String, Compiled> patterns = new ConcurrentHashMap<>();
  private final int maxProgramSize;

  public RegexCache(int maxProgramSize) {
    this.maxProgramSize = maxProgramSize;
  }

  public boolean matches(String text, String regex) {
    Compiled compiled = patterns.get(regex);
    if (compiled == null) {
      Pattern pattern = Pattern.compile(regex);
      if (pattern.programSize() > maxProgramSize) {
        throw new IllegalArgumentException("regular expression exceeds the allowed program size");
      }
      compiled = new Compiled(pattern, RequiredLiterals.of(regex).orElse(null));
      if (patterns.size() < LIMIT) {
        patterns.putIfAbsent(regex, compiled);
      }
    }
    return compiled.mayMatch(text) && compiled.pattern.matcher(text).find();
  }

  /** A pattern and the strings one of which any match contains (null: not known). */
  private record Compiled(Pattern pattern, List<String> required) {

    boolean mayMatch(String text) {
      if (required == null) {
        return true;
      }
      for (String literal : required) {
        if (text.contains(literal)) {
          return true;
        }
      }
      return false;
    }
  }
}
