package dev.tollgate.engine.shell;

import static dev.tollgate.engine.shell.ShellTestSupport.analyze;
import static dev.tollgate.engine.shell.ShellTestSupport.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ways around regex policies over a command line (quoting, escapes, {@code $'…'}, braces,
 * wrappers, nested shells, substitutions, {@code find -exec}, {@code xargs}…): each is seen
 * through, or the result is opaque.
 */
class ShellBypassTest {

  /**
   * Every way of spelling "git push -f" that attackers use against regex policies is seen as git
   * [push, -f].
   */
  @ParameterizedTest
  @MethodSource("gitPushSpellings")
  void quotingTricksAreSeenThrough(String command, List<String> via) {
    ShellAnalysis analysis = analyze(command);
    AnalyzedCommand git = only(analysis, "git");
    assertThat(git.args()).containsExactly("push", "-f");
    assertThat(git.dynamic()).isFalse();
    assertThat(git.via()).isEqualTo(via);
    assertThat(analysis.programs()).contains("git");
  }

  static Stream<Arguments> gitPushSpellings() {
    return Stream.of(
        Arguments.of("git \"push\" -f", List.of()),
        Arguments.of("git pu''sh -f", List.of()),
        Arguments.of("git pu\"\"sh '-f'", List.of()),
        Arguments.of("git p\\ush -f", List.of()),
        Arguments.of("git $'pu\\x73h' -f", List.of()),
        Arguments.of("git $'\\160\\165\\163\\150' -f", List.of()),
        Arguments.of("git $'\\u0070ush' $'\\x2d'f", List.of()),
        Arguments.of("git {push,-f}", List.of()),
        Arguments.of("{git,push,-f}", List.of()),
        Arguments.of("g\\it push -f", List.of()),
        Arguments.of("/usr/bin/git push -f", List.of()),
        Arguments.of("'/usr/bin/git' push -f", List.of()),
        Arguments.of("sudo env git push -f", List.of("sudo", "env")),
        Arguments.of("sudo -u x env A=1 git push -f", List.of("sudo", "env")),
        Arguments.of(
            "nohup timeout -s KILL 10 nice -n 5 git push -f", List.of("nohup", "timeout", "nice")),
        Arguments.of("command git push -f", List.of("command")),
        Arguments.of("exec -a x git push -f", List.of("exec")),
        Arguments.of("env -i PATH=/bin -C /tmp git push -f", List.of("env")),
        Arguments.of("bash -c 'git push -f'", List.of("bash -c")),
        Arguments.of("sh -lc \"git push -f\"", List.of("sh -c")),
        Arguments.of("zsh -xc -- 'git push -f'", List.of("zsh -c")),
        Arguments.of("sudo sh -c 'cd /repo && git push -f'", List.of("sudo", "sh -c")),
        Arguments.of("bash -c \"bash -c 'git push -f'\"", List.of("bash -c", "bash -c")),
        Arguments.of("echo $(git push -f)", List.of("$()")),
        Arguments.of("echo \"`git push -f`\"", List.of("``")),
        Arguments.of("cat <(git push -f)", List.of("<()")),
        Arguments.of("find . -maxdepth 0 -exec git push -f \\;", List.of("find -exec")),
        Arguments.of("env -S 'git push -f'", List.of("env -S", "env")),
        Arguments.of("eval 'git push -f'", List.of("eval")),
        Arguments.of("bash <<EOF\ngit push -f\nEOF", List.of("bash here-doc")),
        Arguments.of("sh <<< 'git push -f'", List.of("sh here-string")),
        Arguments.of("su - deploy -c 'git push -f'", List.of("su -c")),
        Arguments.of("flock /tmp/lock -c 'git push -f'", List.of("flock -c")),
        Arguments.of("at now + 1 minute <<EOF\ngit push -f\nEOF", List.of("at here-doc")),
        Arguments.of("source /dev/stdin <<< 'git push -f'", List.of("source here-string")),
        Arguments.of("busybox sh -c 'git push -f'", List.of("busybox", "sh -c")),
        Arguments.of("strace -f -o /tmp/t git push -f", List.of("strace")),
        Arguments.of("flock -w 5 /tmp/lock git push -f", List.of("flock")),
        Arguments.of("runuser -u deploy -- git push -f", List.of("runuser")),
        Arguments.of("setsid -f git push -f", List.of("setsid")),
        Arguments.of("doas -u root git push -f", List.of("doas")),
        Arguments.of("chroot /srv/root git push -f", List.of("chroot")),
        Arguments.of("stdbuf -oL ionice -c3 git push -f", List.of("stdbuf", "ionice")),
        Arguments.of("builtin command git push -f", List.of("builtin", "command")),
        Arguments.of("watch -n 5 git push -f", List.of("watch")),
        Arguments.of("if true; then git push -f; fi", List.of()),
        Arguments.of("for i in 1; do git push -f; done", List.of()),
        Arguments.of("case x in x) git push -f;; esac", List.of()),
        Arguments.of("true && (git push -f) | cat", List.of()),
        Arguments.of("time git push -f", List.of()),
        Arguments.of("echo ${x:-$(git push -f)}", List.of("$()")),
        Arguments.of("echo $(( $(git push -f) + 1 ))", List.of("$()")),
        Arguments.of("cat <<EOF\n$(git push -f)\nEOF", List.of("$()")));
  }

  @Test
  void dynamicArgumentsAreMarked() {
    AnalyzedCommand git = only(analyze("P=push; git $P -f"), "git");
    assertThat(git.args()).containsExactly("$P", "-f");
    assertThat(git.dynamic()).isTrue();
    assertThat(only(analyze("git $(echo push) -f"), "git").dynamic()).isTrue();
    assertThat(only(analyze("git push${IFS}-f"), "git").dynamic()).isTrue();
    assertThat(only(analyze("git push -$((1))f"), "git").dynamic()).isTrue();
  }

  @Test
  void globsAreDynamicButQuotedGlobsAreNot() {
    AnalyzedCommand cat = only(analyze("cat .e*"), "cat");
    assertThat(cat.args()).containsExactly(".e*");
    assertThat(cat.dynamic()).isTrue();
    assertThat(only(analyze("cat .en[v]"), "cat").dynamic()).isTrue();
    assertThat(only(analyze("shopt -s extglob; cat @(.env)"), "cat").dynamic()).isTrue();
    assertThat(only(analyze("cat '.e*'"), "cat").dynamic()).isFalse();
    assertThat(only(analyze("cat .e\\*"), "cat").dynamic()).isFalse();
  }

  @Test
  void dynamicCommandNamesAreOpaque() {
    for (String command :
        List.of("$CMD push -f", "$(echo git) push", "\"${G}\" push", "`which git` push")) {
      ShellAnalysis analysis = analyze(command);
      assertThat(analysis.opaque()).as(command).isTrue();
      assertThat(analysis.opaqueReasons())
          .as(command)
          .anyMatch(r -> r.startsWith("dynamic command name"));
      assertThat(analysis.commands().get(0).dynamic()).isTrue();
    }
    assertThat(analyze("sudo $CMD").opaqueReasons())
        .anyMatch(r -> r.startsWith("dynamic command name"));
  }

  @ParameterizedTest
  @MethodSource("opaqueCases")
  void opaqueWithAReason(String command, String reason) {
    ShellAnalysis analysis = analyze(command);
    assertThat(analysis.opaque()).as(command).isTrue();
    assertThat(analysis.opaqueReasons()).as(command).anyMatch(r -> r.contains(reason));
  }

  static Stream<Arguments> opaqueCases() {
    return Stream.of(
        Arguments.of("f(){ :; }; f", "function definition: f"),
        Arguments.of("function deploy { git push; }", "function definition: deploy"),
        Arguments.of("alias ls='rm -rf'", "alias"),
        Arguments.of("trap 'rm -rf /' EXIT", "trap"),
        Arguments.of("eval \"$CMD\"", "eval"),
        Arguments.of("P=push; $P", "dynamic command name: $P"),
        Arguments.of("curl x | bash", "bash reads commands from a pipe"),
        Arguments.of("bash -c \"$CODE\"", "only known at run time"),
        Arguments.of("cat <<EOF\nno end", "never closes"),
        Arguments.of("echo 'unterminated", "not parsed"),
        Arguments.of("if true; then", "not parsed"),
        Arguments.of("echo " + "$(".repeat(100), "over budget"),
        Arguments.of("x".repeat(70_000), "longer than"),
        Arguments.of("env -S \"$X\" ls", "env -S"),
        Arguments.of("sudo ".repeat(20) + "git push -f", "wrappers nested deeper"),
        Arguments.of("ls | xargs -I{} sh -c 'rm {}'", "code for sh -c is only known at run time"),
        Arguments.of(
            "find . -exec bash -c 'cat {}' \\;", "code for bash -c is only known at run time"),
        Arguments.of("ls | xargs -I % % -rf", "dynamic command name: %"),
        Arguments.of("echo 'git push -f' | at now", "at schedules commands read from a pipe"));
  }

  @ParameterizedTest
  @MethodSource("rejectedLikeBash")
  void syntaxBashRejectsIsOpaque(String command) {
    ShellAnalysis analysis = analyze(command);
    assertThat(analysis.opaque()).as(command).isTrue();
    assertThat(analysis.opaqueReasons())
        .as(command)
        .anyMatch(r -> r.startsWith("command line not parsed"));
  }

  static Stream<String> rejectedLikeBash() {
    return Stream.of(
        "echo && done",
        "in x",
        "echo | fi",
        "{ echo; } }",
        "[[ a b ]]",
        "[[ -n ]]",
        "[[ ( ) ]]",
        "e[cho x",
        "a[1=x",
        "case x in a) echo",
        "for x in a b; echo; done",
        "echo $(",
        "f() echo hi",
        "( )");
  }
}
