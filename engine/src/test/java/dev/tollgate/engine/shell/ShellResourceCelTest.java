package dev.tollgate.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.engine.cel.CelCondition;
import dev.tollgate.engine.cel.CelEnvironment;
import dev.tollgate.engine.cel.ConditionResult;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analysis as policies will see it: {@link ShellAnalysis#toResourceFields()} under {@code
 * resource}, through the engine's CEL environment, with conditions that quoting, wrappers and
 * nesting no longer get around.
 */
class ShellResourceCelTest {

  /**
   * Dynamic git commands are treated as possible force pushes: their arguments are only known at
   * run time.
   */
  private static final String FORCE_PUSH =
      "resource.opaque || resource.commands.exists(c, c.name == 'git'"
          + " && (c.dynamic || 'push' in c.args && c.args.exists(a, a == '-f' || a.startsWith('--force'))))";

  @ParameterizedTest
  @MethodSource("forcePushCases")
  void forcePushPolicy(String command, boolean matches) throws Exception {
    assertThat(evaluate(FORCE_PUSH, command)).as(command).isEqualTo(matches);
  }

  @ParameterizedTest
  @MethodSource("profileCases")
  void writesToTheShellProfile(String command, boolean matches) throws Exception {
    String policy =
        "resource.redirects.exists(r, r.op.startsWith('>') || r.op.startsWith('&>')"
            + " ? (r.dynamic || r.target == '/home/agent/.bashrc') : false)";
    assertThat(evaluate(policy, command)).as(command).isEqualTo(matches);
  }

  @ParameterizedTest
  @MethodSource("inlineCases")
  void inlinePythonOrNode(String command, boolean matches) throws Exception {
    String policy =
        "resource.inlineCode.exists(c, c.program.startsWith('python') || c.program == 'node')";
    assertThat(evaluate(policy, command)).as(command).isEqualTo(matches);
  }

  private static boolean evaluate(String expression, String command) throws Exception {
    CelCondition condition = CelEnvironment.standard().compile(expression);
    Map<String, Object> resource =
        ShellAnalyzer.analyze(command, "/work", "/home/agent").toResourceFields();
    ConditionResult result =
        condition.evaluate(
            Map.of(
                "tool",
                "Bash",
                "args",
                Map.of("command", command),
                "identity",
                Map.of(),
                "delegation",
                Map.of(),
                "resource",
                resource,
                "context",
                Map.of()));
    assertThat(result.isError()).as(result.error()).isFalse();
    return result.outcome() == ConditionResult.Outcome.TRUE;
  }

  static Stream<Arguments> forcePushCases() {
    return Stream.of(
        Arguments.of("git status", false),
        Arguments.of("git push origin main", false),
        Arguments.of("git \"push\" -f", true),
        Arguments.of("git pu''sh -f", true),
        Arguments.of("git $'pu\\x73h' -f", true),
        Arguments.of("P=push; git $P -f", true),
        Arguments.of("git {push,-f}", true),
        Arguments.of("sudo -u x env A=1 git push --force", true),
        Arguments.of("bash -c 'git push -f'", true),
        Arguments.of("echo ok && sh -c \"cd /repo && git push -f\"", true),
        Arguments.of("ls | xargs git push -f", true),
        Arguments.of("find . -maxdepth 0 -exec git push -f \\;", true),
        Arguments.of("f(){ git status; }; f", true),
        Arguments.of("eval \"$CMD\"", true),
        Arguments.of("git push $(echo -f)", true));
  }

  static Stream<Arguments> profileCases() {
    return Stream.of(
        Arguments.of("cat ~/.bashrc", false),
        Arguments.of("echo 'alias ls=rm' >> ~/.bashrc", true),
        Arguments.of("cat <<EOF > ~/.bashrc\nx\nEOF", true),
        // tee writes through an argument, not a redirection: a policy on redirects alone does not
        // see it
        Arguments.of("cd ~ && tee .bashrc < /dev/null", false),
        Arguments.of("cd ~ && echo x > .bashrc", true),
        Arguments.of("echo x > \"$HOME/.bashrc\"", true));
  }

  static Stream<Arguments> inlineCases() {
    return Stream.of(
        Arguments.of("python3 script.py", false),
        Arguments.of("python3 -c 'import os; os.system(\"id\")'", true),
        Arguments.of("echo 'print(1)' | python3", true),
        Arguments.of("awk '{print $1}' f", false),
        Arguments.of("node -e 'require(\"child_process\")'", true));
  }
}
