package dev.tollgate.engine.cel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The filter in front of {@code matches} may only skip texts RE2 would not match: for the example
 * policies' patterns and a set of tricky ones, random texts built from the patterns' own pieces (so
 * that near misses are common) get the same answer through {@link RegexCache} as from RE2.
 */
class RequiredLiteralsTest {

  private static final List<String> PATTERNS =
      List.of(
          "(^|[/:@=])\\.env(\\.[^/]+)?$",
          "(^|[/:@=])\\.ssh(/|$)",
          "(^|/)id_(rsa|ed25519|ecdsa|dsa)(\\.pub)?$",
          "(^|[^\\w.-])\\.env([^\\w-]|$)|\\.ssh/|id_rsa|id_ed25519",
          "(^|/)\\.claude(/|$)|(^|/)\\.git/(hooks|config|info)(/|$)|^/root/\\.(bashrc|profile|ssh)"
              + "|(^|/)\\.npmrc$|(^|/)\\.envrc$|^/etc/",
          "^/dev/(sd|hd|vd|nvme|loop)",
          "system|getline|\\||>\\s*\"|>>|ENVIRON|close\\(",
          "-r\\b|--require|--import|--loader",
          "^(https?|ftp)://",
          "^-[fF].+",
          "ab+c",
          "abc?d",
          "a{2}bc",
          "x*yz",
          "a.b|c[d-f]g",
          "a\\.b+?c",
          "[)(]ab",
          "(a|b)c(d)*e",
          "\\$\\{HOME\\}",
          "^(mkfs(\\..*)?|mke2fs|wipefs)$",
          "(ab|cd)+e?",
          "x(ab|)y",
          "(a(bc|de)f)*gh",
          "^(BASH_ENV|PS[0-4]|npm_config_[a-z_]*)=");

  private static final String PIECES = "abcdefgxyz.-/:@=_|>\"( )$\\{}HOMEenvsshidrsaclaude";

  @Test
  void neverSkipsATextRe2Matches() {
    Random random = new Random(20261202);
    RegexCache cache = new RegexCache(10_000);
    int skipped = 0;
    for (String regex : PATTERNS) {
      Pattern pattern = Pattern.compile(regex);
      Optional<List<String>> required = RequiredLiterals.of(regex);
      for (int n = 0; n < 20_000; n++) {
        String text = randomText(random, regex);
        boolean expected = pattern.matcher(text).find();
        assertThat(cache.matches(text, regex)).as("%s on %s", regex, text).isEqualTo(expected);
        if (expected) {
          assertThat(required.orElse(List.of("")).stream().anyMatch(text::contains))
              .as("%s on %s", regex, text)
              .isTrue();
        } else if (required.isPresent() && required.get().stream().noneMatch(text::contains)) {
          skipped++;
        }
      }
    }
    assertThat(skipped).as("texts answered without running RE2").isGreaterThan(10_000);
  }

  @Test
  void readsOnlyWhatItUnderstands() {
    assertThat(RequiredLiterals.of("(^|[/:@=])\\.env(\\.[^/]+)?$")).contains(List.of(".env"));
    assertThat(RequiredLiterals.of("\\.ssh/|id_rsa")).contains(List.of(".ssh/", "id_rsa"));
    assertThat(RequiredLiterals.of("abc?d")).contains(List.of("ab"));
    assertThat(RequiredLiterals.of("ab+c")).contains(List.of("ab"));
    // An alternative with no literal, flags, escapes it does not read: no filter.
    assertThat(RequiredLiterals.of("abc|.*")).isEmpty();
    assertThat(RequiredLiterals.of("(?i)abc")).isEmpty();
    assertThat(RequiredLiterals.of("\\x41bc")).isEmpty();
    assertThat(RequiredLiterals.of("\\pLabc")).isEmpty();
    assertThat(RequiredLiterals.of("\\Qa.b\\E")).isEmpty();
    assertThat(RequiredLiterals.of("(a|)b")).contains(List.of("b"));
    assertThat(RequiredLiterals.of("x*(ab|cd)+")).contains(List.of("ab", "cd"));
    assertThat(RequiredLiterals.of("^(mkfs(\\..*)?|mke2fs)$")).contains(List.of("mkfs", "mke2fs"));
    assertThat(RequiredLiterals.of("(ab|cd)?e")).contains(List.of("e"));
    assertThat(RequiredLiterals.of("(ab|cd)?")).isEmpty();
  }

  /** Pieces of the pattern's own literals and random characters, so near misses are frequent. */
  private static String randomText(Random random, String regex) {
    StringBuilder text = new StringBuilder();
    int parts = random.nextInt(6);
    for (int i = 0; i < parts; i++) {
      if (random.nextBoolean()) {
        String source = regex.replace("\\", "");
        int start = random.nextInt(source.length());
        text.append(source, start, Math.min(source.length(), start + 1 + random.nextInt(8)));
      } else {
        text.append(PIECES.charAt(random.nextInt(PIECES.length())));
      }
    }
    return text.toString();
  }
}
