package dev.tollgate.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bash as the oracle for word expansion: for literal words (quotes, escapes, {@code $'…'}, braces,
 * tildes), the arguments we report must be exactly those Bash passes ({@code printf '%s\0' WORD} in
 * one Bash process).
 */
class ShellWordOracleTest {

  private static final String HOME = "/home/agent";
  private static final List<String> FIXED =
      List.of(
          "git",
          "\"push\"",
          "pu''sh",
          "p\\ush",
          "$'pu\\x73h'",
          "$'\\160\\165\\163\\150'",
          "$'\\u0070\\u00e9'",
          "$'\\U0001F600'",
          "$'\\cA\\c?\\e\\E\\a\\b\\f\\v\\t\\n\\r'",
          "$'\\x'",
          "$'\\q'",
          "$'a\\'b'",
          "$'\\\\'",
          "$'\\x41\\x4a\\x7e'",
          "$'\\xc3\\xa9\\303\\251'",
          "$'\\xff'",
          "$'a\\xe2\\x82'",
          "$'\\101\\12\\0end'",
          "$'\\cz\\c['",
          "\"a\\\"b\"",
          "\"\\$x\"",
          "\"\\`x\\`\"",
          "\"\\q\\\\\"",
          "'\\n'",
          "\\'",
          "\\\\",
          "a\\ b",
          "\"a\"'b'c\\ d$'e'",
          "$\"x\"",
          "{a,b}",
          "{a,b}{c,d}",
          "x{a,{b,c}}y",
          "{1..5}",
          "{05..10..2}",
          "{a..e}",
          "{e..a..2}",
          "{-3..3}",
          "{10..1..3}",
          "{-01..2}",
          "{a..C}",
          "{Z..c}",
          "{1..3..0}",
          "{1..a}",
          "{a}",
          "{}",
          "{,}",
          "{a,}",
          "{,a}",
          "'{a,b}'",
          "\\{a,b\\}",
          "{\"a b\",c}",
          "{a,b}'c'",
          "{a,b",
          "a,b}",
          "{a,b}}",
          "{{a,b}",
          "{a,b\\,c}",
          "{'a,b',c}",
          "~",
          "~/x",
          "~\"/x\"",
          "\"~\"",
          "{~,x}/y",
          "a~",
          "~/a/../b",
          "--opt=~/x",
          "a:~/b",
          "x=~/y",
          "A_1=~",
          "'it'\\''s'",
          "\"multi\nline\"",
          "'tab\there'",
          "a#b",
          "{a..c}{1..2}",
          "{x,y,z}{1..2}{a,b}");
  private static final List<String> TEXTS =
      List.of("push", "-f", "a b", "it's", "x\"y", "$HOME", "a\\b", "{a,b}", "~/x", "é", "\t");

  @Test
  void wordsExpandExactlyAsBashExpandsThem(@TempDir Path dir)
      throws IOException, InterruptedException {
    List<String> words = new ArrayList<>(FIXED);
    for (String text : TEXTS) {
      words.add("'" + text.replace("'", "'\\''") + "'");
      words.add(
          "\""
              + text.replace("\\", "\\\\")
                  .replace("\"", "\\\"")
                  .replace("$", "\\$")
                  .replace("`", "\\`")
              + "\"");
      StringBuilder escaped = new StringBuilder();
      text.chars()
          .forEach(c -> escaped.append(Character.isLetterOrDigit(c) ? "" : "\\").append((char) c));
      words.add(escaped.toString());
      StringBuilder ansi = new StringBuilder("$'");
      text.chars()
          .forEach(
              c -> ansi.append(c < 128 ? String.format("\\x%02x", c) : String.valueOf((char) c)));
      words.add(ansi.append("'").toString());
    }
    List<List<String>> expected = new ArrayList<>();
    for (String word : words) {
      List<String> ours = expand(word);
      assertThat(ours).as("%s must be literal", word).isNotNull();
      expected.add(ours);
    }
    compareWithBash(dir, words, expected, "words");
  }

  /**
   * Every simple command of the differential corpus whose words are all known before run time: its
   * name and arguments as we report them must be the words Bash builds (printed by printf, never
   * run).
   */
  @Test
  void literalCorpusCommandsExpandAsBashExpandsThem(@TempDir Path dir) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    List<List<String>> expected = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            Path.of("src/test/resources/shell/corpus.jsonl"), StandardCharsets.UTF_8)) {
      Script script;
      try {
        script = ShellAnalyzer.parse(json.readValue(line, String.class));
      } catch (ShellSyntaxException e) {
        continue;
      }
      for (ShellNode.SimpleCommand command : simpleCommands(script.items(), new ArrayList<>())) {
        List<String> fields = new ArrayList<>();
        StringBuilder raw = new StringBuilder();
        boolean literal = !command.words().isEmpty();
        for (Word word : command.words()) {
          // A trailing backslash is literal only at the end of the input; here a "; printf" would
          // follow it.
          literal &=
              word.literalText() != null
                  && !word.raw().startsWith("#")
                  && !word.raw().contains("=(")
                  && !word.raw().endsWith("\\");
          for (WordExpander.Field field : WordExpander.fields(word, HOME)) {
            literal &= !field.dynamic();
            fields.add(field.text());
          }
          raw.append(' ').append(word.raw());
        }
        if (literal) {
          lines.add(raw.toString());
          expected.add(fields);
        }
      }
    }
    assertThat(lines).hasSizeGreaterThan(500);
    compareWithBash(dir, lines, expected, "literal corpus commands");
  }

  private static List<ShellNode.SimpleCommand> simpleCommands(
      List<ShellNode> nodes, List<ShellNode.SimpleCommand> out) {
    for (ShellNode node : nodes) {
      if (node instanceof ShellNode.SimpleCommand command) {
        out.add(command);
      } else if (node instanceof ShellNode.Pipeline pipeline) {
        simpleCommands(pipeline.stages(), out);
      } else if (node instanceof ShellNode.AndOr list) {
        simpleCommands(list.items(), out);
      } else if (node instanceof ShellNode.Compound compound) {
        compound.bodies().forEach(body -> simpleCommands(body.items(), out));
      } else if (node instanceof ShellNode.FunctionDef function) {
        simpleCommands(List.of(function.body()), out);
      }
    }
    return out;
  }

  /**
   * Runs {@code printf '%s\0' x WORDS} for each entry in one Bash process and compares the fields.
   */
  private static void compareWithBash(
      Path dir, List<String> words, List<List<String>> expected, String what)
      throws IOException, InterruptedException {
    Path bash = Path.of("/bin/bash");
    Assumptions.assumeTrue(Files.isExecutable(bash), "word oracle test skipped: needs /bin/bash");
    StringBuilder script = new StringBuilder();
    for (String word : words) {
      script.append("printf '%s\\0' x ").append(word).append("; printf '\\1\\0'\n");
    }
    Path file = dir.resolve("words.sh");
    Files.writeString(file, script.toString(), StandardCharsets.UTF_8);
    ProcessBuilder builder =
        new ProcessBuilder(bash.toString(), "--norc", "--noprofile", file.toString())
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("HOME", HOME);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String[] records = output.split("\u0001\u0000", -1);
    assertThat(records.length).as("one record per entry from Bash").isEqualTo(words.size() + 1);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      List<String> fields = new ArrayList<>(List.of(records[i].split("\u0000", -1)));
      fields.remove(fields.size() - 1);
      fields.remove(0);
      if (!expected.get(i).equals(fields)) {
        mismatches.add(words.get(i) + ": ours " + expected.get(i) + ", Bash " + fields);
      }
    }
    System.out.printf(
        "shell word oracle: %d of %d %s expand exactly as Bash expands them%n",
        words.size() - mismatches.size(), words.size(), what);
    assertThat(mismatches).isEmpty();
  }

  /** Our fields for {@code word}, or null when we consider it dynamic. */
  private static List<String> expand(String word) {
    ShellAnalysis analysis = ShellAnalyzer.analyze("printf " + word, "/work", HOME);
    assertThat(analysis.opaque()).as(word + ": " + analysis.opaqueReasons()).isFalse();
    AnalyzedCommand command = analysis.commands().get(0);
    return command.dynamic() ? null : command.args();
  }
}
