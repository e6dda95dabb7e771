package dev.tollgate.engine.cel;

import com.google.re2j.Pattern;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CEL's {@code matches}, with compiled patterns kept by source. CEL-Java compiles the pattern on
 * every call, which was most of a decision's cost for shell rules (RE2 semantics unchanged: a match
 * anywhere in the text). Bounded: a pattern built at run time from agent input must not grow it
 * without limit; beyond the bound patterns are compiled per call, as before. Public so that a CEL
 * runtime built outside the engine (the benchmarks' prototypes) binds the same {@code matches}.
 */
public final class RegexCache {

  private static final int LIMIT = 1_024;

  private final ConcurrentHashMap<String, Pattern> patterns = new ConcurrentHashMap<>();
  private final int maxProgramSize;

  public RegexCache(int maxProgramSize) {
    this.maxProgramSize = maxProgramSize;
  }

  public boolean matches(String text, String regex) {
    Pattern pattern = patterns.get(regex);
    if (pattern == null) {
      pattern = Pattern.compile(regex);
      if (pattern.programSize() > maxProgramSize) {
        throw new IllegalArgumentException("regular expression exceeds the allowed program size");
      }
      if (patterns.size() < LIMIT) {
        patterns.putIfAbsent(regex, pattern);
      }
    }
    return pattern.matcher(text).find();
  }
}
