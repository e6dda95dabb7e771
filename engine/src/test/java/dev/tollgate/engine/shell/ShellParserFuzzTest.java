package dev.tollgate.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the parser and analysis on a fixed time budget: mutations of the differential
 * corpus, random shell-ish text, and pathological inputs up to 100 KB (deep nesting, huge brace
 * expansions, unclosed everything). The analysis must never throw, must finish each input quickly
 * (its budgets bound the work), and must be opaque whenever the parser rejects the input.
 */
class ShellParserFuzzTest {

  private static final long SEED = 20_261_202L;
  private static final long BUDGET_MILLIS = 12_000;
  private static final int MAX_INPUTS = 40_000;
  // Generous: the slowest inputs take a few hundred ms warm; CI shares two cores with other builds.
  private static final long MAX_MILLIS_PER_INPUT = 5_000;
  private static final String ALPHABET =
      "'\"\\`$(){}[]|&;<>#\n\t *?~!=-+@%:,./0123456789abcdefxyzEOF";

  @Test
  void neverThrowsNeverHangsAndRejectedInputIsOpaque() throws IOException {
    Random random = new Random(SEED);
    List<String> corpus = corpus();
    List<String> inputs = new ArrayList<>(pathological());
    long deadline = System.currentTimeMillis() + BUDGET_MILLIS;
    int checked = 0;
    long slowest = 0;
    for (int i = 0; i < MAX_INPUTS && System.currentTimeMillis() < deadline; i++) {
      String input = i < inputs.size() ? inputs.get(i) : generate(random, corpus);
      slowest = Math.max(slowest, check(input));
      checked++;
    }
    System.out.printf(
        "shell fuzz: %d inputs in %d ms budget (seed %d), slowest %d ms%n",
        checked, BUDGET_MILLIS, SEED, slowest);
    assertThat(checked).isGreaterThan(pathological().size());
  }

  private static long check(String input) {
    long start = System.nanoTime();
    ShellAnalysis analysis = null;
    boolean rejected = false;
    try {
      analysis = ShellAnalyzer.analyze(input, "/work", "/home/agent");
      assertPlain(analysis.toResourceFields(), input);
      try {
        Script script = ShellAnalyzer.parse(input);
        int withWords = 0;
        for (ShellNode.SimpleCommand command : LiteralCommands.all(script)) {
          List<WordExpander.Field> name =
              command.words().isEmpty()
                  ? List.of()
                  : WordExpander.fields(command.words().get(0), "/home/agent");
          withWords += name.isEmpty() ? 0 : 1;
          // a command whose name is only known at run time is never reported as if it were
          // understood
          if (!name.isEmpty() && name.get(0).dynamic() && !analysis.opaque()) {
            fail("dynamic name but not opaque: " + describe(input));
          }
        }
        // and no command is dropped silently: each one is listed (wrappers and nested code only add
        // more)
        if (!analysis.opaque() && analysis.commands().size() < withWords) {
          fail(
              withWords
                  + " commands but "
                  + analysis.commands().size()
                  + " listed: "
                  + describe(input));
        }
      } catch (ShellSyntaxException e) {
        rejected = true;
      }
    } catch (RuntimeException | StackOverflowError e) {
      fail("analysis threw on " + describe(input), e);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).as("time for " + describe(input)).isLessThan(MAX_MILLIS_PER_INPUT);
    if (rejected) {
      assertThat(analysis.opaque()).as("rejected but not opaque: " + describe(input)).isTrue();
    }
    return millis;
  }

  /**
   * Only strings, booleans, lists and maps with string keys: what becomes a CEL value without
   * conversion.
   */
  private static void assertPlain(Object value, String input) {
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            if (!(k instanceof String)) {
              fail("non-string key " + k + " for " + describe(input));
            }
            assertPlain(v, input);
          });
    } else if (value instanceof List<?> list) {
      list.forEach(v -> assertPlain(v, input));
    } else if (!(value instanceof String) && !(value instanceof Boolean)) {
      fail("not a plain value: " + value + " for " + describe(input));
    }
  }

  private static String describe(String input) {
    String head =
        input.length() > 200 ? input.substring(0, 200) + "… (" + input.length() + " chars)" : input;
    return "'" + head.replace("\n", "\\n") + "'";
  }

  private static String generate(Random random, List<String> corpus) {
    String base = corpus.get(random.nextInt(corpus.size()));
    return switch (random.nextInt(6)) {
      case 0 -> mutate(random, base, 1 + random.nextInt(4));
      case 1 ->
          base
              + pick(random, "; ", " | ", " && ", "\n", " $(", " `", " <<EOF\n")
              + pick(random, corpus);
      case 2 -> randomText(random, 1 + random.nextInt(80));
      case 3 -> wrap(random, base, 1 + random.nextInt(6));
      case 4 -> mutate(random, base.repeat(1 + random.nextInt(200)), 3);
      default -> base.substring(0, random.nextInt(base.length() + 1));
    };
  }

  private static String pick(Random random, List<String> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static String pick(Random random, String... from) {
    return from[random.nextInt(from.length)];
  }

  private static String mutate(Random random, String text, int edits) {
    StringBuilder out = new StringBuilder(text);
    for (int e = 0; e < edits; e++) {
      int at = out.length() == 0 ? 0 : random.nextInt(out.length() + 1);
      switch (random.nextInt(3)) {
        case 0 -> out.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 1 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(4)));
        default ->
            out.insert(at, out.substring(at, Math.min(out.length(), at + random.nextInt(8))));
      }
    }
    return out.toString();
  }

  private static String randomText(Random random, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  private static String wrap(Random random, String text, int times) {
    String out = text;
    for (int i = 0; i < times; i++) {
      out =
          switch (random.nextInt(7)) {
            case 0 -> "$(" + out + ")";
            case 1 -> "bash -c '" + out.replace("'", "'\\''") + "'";
            case 2 -> "( " + out + " )";
            case 3 -> "{ " + out + "; }";
            case 4 -> "if true; then " + out + "; fi";
            case 5 -> "echo \"$(" + out + ")\"";
            default -> "sudo env A=1 " + out;
          };
    }
    return out;
  }

  private static List<String> pathological() {
    List<String> inputs = new ArrayList<>();
    int n = 30_000;
    inputs.add("$(".repeat(n));
    inputs.add("(".repeat(n));
    inputs.add("((".repeat(n) + "))".repeat(n));
    inputs.add("$((".repeat(n));
    inputs.add("$(( " + "(".repeat(n) + ")".repeat(n) + " ))");
    inputs.add("${".repeat(n));
    inputs.add("echo " + "${x:-".repeat(n) + "}".repeat(n));
    inputs.add("\"$(".repeat(n));
    inputs.add("`".repeat(n));
    inputs.add("\\`".repeat(n));
    inputs.add("{ ".repeat(n));
    inputs.add("[[ ".repeat(n));
    inputs.add("if true; then ".repeat(5_000) + "fi; ".repeat(5_000));
    inputs.add("echo " + "{a,b}".repeat(n / 5));
    inputs.add("echo " + "{a..a}".repeat(n / 6));
    inputs.add("echo {1..9999999999}");
    inputs.add("echo " + "x ".repeat(n));
    inputs.add("a".repeat(100_000));
    inputs.add("a".repeat(60_000));
    inputs.add("cat <<EOF\n".repeat(5_000));
    inputs.add("cat <<EOF\n" + "$(id)\n".repeat(9_000) + "EOF\n");
    inputs.add("'".repeat(99_999));
    inputs.add("$'\\".repeat(20_000));
    inputs.add("@(".repeat(n));
    inputs.add("a=(".repeat(n));
    inputs.add("case x in ".repeat(5_000));
    inputs.add("f() ".repeat(n / 4));
    inputs.add("coproc ".repeat(n / 4));
    inputs.add("eval ".repeat(n / 5) + "ls");
    inputs.add("sudo env ".repeat(5_000) + "ls");
    inputs.add("env -S ".repeat(5_000) + "ls");
    inputs.add("sudo ".repeat(2_000) + "ls");
    inputs.add("find . -exec ".repeat(2_000) + "rm x");
    inputs.add("xargs ".repeat(3_000) + "sh -c 'id'");
    StringBuilder nested = new StringBuilder("git push -f");
    for (int i = 0; i < 40; i++) {
      nested = new StringBuilder("sh -c '" + nested.toString().replace("'", "'\\''") + "'");
      if (nested.length() > 90_000) {
        break;
      }
    }
    inputs.add(nested.toString());
    inputs.add("echo $'\\U0010FFFF\\U7FFFFFFF\\uD800\\x\\0\\c'");
    inputs.add("\u0000echo\u0000");
    inputs.add("echo \uD800 \uDFFF");
    inputs.add("x=$((" + "1+".repeat(n) + "1))");
    return inputs;
  }

  private static List<String> corpus() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> corpus = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            Path.of("src/test/resources/shell/corpus.jsonl"), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        corpus.add(json.readValue(line, String.class));
      }
    }
    return corpus;
  }
}
