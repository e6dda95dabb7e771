package dev.tollgate.engine.shell;

import static dev.tollgate.engine.shell.ShellTestSupport.analyze;
import static dev.tollgate.engine.shell.ShellTestSupport.folded;
import static dev.tollgate.engine.shell.ShellTestSupport.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the analysis exposes besides command names: directories, redirections, inline code,
 * expansions.
 */
class ShellAnalyzerTest {

  @Test
  void cdIsTrackedIntoLaterCommandsAndRedirects() {
    ShellAnalysis analysis = analyze("cd / && rm -rf *");
    AnalyzedCommand rm = only(analysis, "rm");
    assertThat(rm.cwd()).isEqualTo("/");
    assertThat(rm.args()).containsExactly("-rf", "*");
    assertThat(rm.dynamic()).isTrue();

    assertThat(only(analyze("cd src && cd ../lib && touch x"), "touch").cwd())
        .isEqualTo("/work/lib");
    assertThat(only(analyze("cd && ls"), "ls").cwd()).isEqualTo("/home/agent");
    assertThat(only(analyze("cd $D && ls"), "ls").cwd()).isEmpty();
    assertThat(only(analyze("(cd /tmp); ls"), "ls").cwd()).isEqualTo("/work");
    assertThat(only(analyze("echo $(cd /tmp); ls"), "ls").cwd()).isEqualTo("/work");
    assertThat(only(analyze("bash -c 'cd /tmp'; ls"), "ls").cwd()).isEqualTo("/work");
    assertThat(only(analyze("if x; then cd /tmp || exit; fi; ls"), "ls").cwd()).isEmpty();
    assertThat(only(analyze("{ cd /tmp || exit; }; ls"), "ls").cwd()).isEqualTo("/tmp");
    assertThat(only(analyze("pushd /opt >/dev/null && ls"), "ls").cwd()).isEqualTo("/opt");
    assertThat(only(analyze("env -C /srv ls"), "ls").cwd()).isEqualTo("/srv");
    assertThat(only(analyze("source env.sh; ls"), "ls").cwd()).isEmpty();
  }

  /**
   * A cd that may fail leaves the directory unknown: "cd /tmp/x; rm -rf *" may well run rm where it
   * was.
   */
  @Test
  void aCdThatMayFailLeavesTheDirectoryUnknown() {
    assertThat(only(analyze("cd /nonexistent; rm -rf *"), "rm").cwd()).isEmpty();
    assertThat(only(analyze("cd /tmp && true; rm -rf *"), "rm").cwd()).isEmpty();
    assertThat(only(analyze("cd /a || cd /b; rm x"), "rm").cwd()).isEmpty();
    assertThat(only(analyze("cd /tmp || exit 1; rm -rf *"), "rm").cwd()).isEqualTo("/tmp");
    assertThat(only(analyze("cd /tmp || { echo no >&2; exit 1; }\nrm x"), "rm").cwd())
        .isEqualTo("/tmp");
    assertThat(only(analyze("set -euo pipefail\ncd /tmp\nrm x"), "rm").cwd()).isEqualTo("/tmp");
    assertThat(only(analyze("set -e; set +e; cd /tmp; rm x"), "rm").cwd()).isEmpty();
    assertThat(only(analyze("cd /tmp && rm a && rm b"), "rm", 1).cwd()).isEqualTo("/tmp");
  }

  @Test
  void redirectsFollowTheDirectory() {
    ShellAnalysis relative = analyze("cd /etc && echo x > passwd");
    assertThat(relative.redirects())
        .containsExactly(new AnalyzedRedirect(">", "", "/etc/passwd", false));
    ShellAnalysis unknown = analyze("cd \"$X\" && echo x > passwd");
    assertThat(unknown.redirects()).containsExactly(new AnalyzedRedirect(">", "", "passwd", true));
  }

  @Test
  void redirectTargetsAreAbsoluteAndNormal() {
    ShellAnalysis analysis = analyze("cat <<EOF > ~/.bashrc\nalias ls='rm -rf'\nEOF");
    assertThat(analysis.redirects())
        .containsExactly(
            new AnalyzedRedirect("<<", "", "", false),
            new AnalyzedRedirect(">", "", "/home/agent/.bashrc", false));
    assertThat(only(analysis, "cat").redirects()).hasSize(2);

    assertThat(analyze("echo x >> ./a/../b.txt 2>&1 &> /tmp//log 3>|x {fd}<in").redirects())
        .containsExactly(
            new AnalyzedRedirect(">>", "", "/work/b.txt", false),
            new AnalyzedRedirect(">&", "2", "1", false),
            new AnalyzedRedirect("&>", "", "/tmp/log", false),
            new AnalyzedRedirect(">|", "3", "/work/x", false),
            new AnalyzedRedirect("<", "{fd}", "/work/in", false));
    assertThat(analyze("echo > \"$HOME/x\"").redirects())
        .containsExactly(
            new AnalyzedRedirect(">", "", "$HOME/x", true),
            new AnalyzedRedirect(">", "", "/home/agent/x", false));
    assertThat(analyze("for f in a; do :; done > out.txt").redirects())
        .containsExactly(new AnalyzedRedirect(">", "", "/work/out.txt", false));
    assertThat(analyze("echo hi >&/etc/x").redirects())
        .containsExactly(new AnalyzedRedirect(">&", "", "/etc/x", false));
  }

  @ParameterizedTest
  @MethodSource("inlineCodeCases")
  void inlineCodeIsReported(String command, String program, String code, String from) {
    assertThat(analyze(command).inlineCode())
        .as(command)
        .contains(new InlineCode(program, code, from, ""));
  }

  static Stream<Arguments> inlineCodeCases() {
    return Stream.of(
        Arguments.of("python3 -c 'import os'", "python3", "import os", "argument"),
        Arguments.of("python3.12 -I -c 'print(1)' arg", "python3.12", "print(1)", "argument"),
        Arguments.of("python3 - <<'EOF'\nimport os\nEOF", "python3", "import os\n", "here-doc"),
        Arguments.of("python3 <<< \"print(1)\"", "python3", "print(1)", "here-string"),
        Arguments.of("echo 'print(1)' | python3", "python3", "", "pipe"),
        Arguments.of("curl -s https://x | sh", "sh", "", "pipe"),
        Arguments.of("node -e 'process.exit(1)'", "node", "process.exit(1)", "argument"),
        Arguments.of("node --eval=1+1", "node", "1+1", "argument"),
        Arguments.of("perl -ne 'print if /x/' f", "perl", "print if /x/", "argument"),
        Arguments.of("ruby -e 'puts 1'", "ruby", "puts 1", "argument"),
        Arguments.of("php -r 'echo 1;'", "php", "echo 1;", "argument"),
        Arguments.of("lua -e 'print(1)'", "lua", "print(1)", "argument"),
        Arguments.of("awk -F: '{print $1}' /etc/passwd", "awk", "{print $1}", "argument"),
        Arguments.of("sed 's/a/b/e' f", "sed", "s/a/b/e", "argument"),
        Arguments.of("sed -n -e '1w /tmp/x' f", "sed", "1w /tmp/x", "argument"),
        Arguments.of("make --eval='x: ; id' x", "make", "x: ; id", "argument"),
        Arguments.of("make -f - <<< 'all: ; id'", "make", "all: ; id", "here-string"),
        Arguments.of("git -c alias.x='!rm -rf /' x", "git -c alias.x", "!rm -rf /", "argument"),
        Arguments.of(
            "git -c core.fsmonitor='id' status", "git -c core.fsmonitor", "id", "argument"),
        Arguments.of(
            "git -c core.sshCommand='ssh -i k' fetch",
            "git -c core.sshCommand",
            "ssh -i k",
            "argument"),
        Arguments.of("git config alias.y '!sh'", "git config alias.y", "!sh", "argument"),
        Arguments.of("env -S 'git push'", "env -S", "git push", "argument"),
        Arguments.of("bash -c 'rm -rf /'", "bash", "rm -rf /", "argument"),
        Arguments.of("find . -exec sh -c 'echo $1' _ {} \\;", "sh", "echo $1", "argument"),
        Arguments.of("xargs sh -c 'id'", "sh", "id", "argument"),
        Arguments.of("eval \"$X\"", "eval", "$X", "argument"),
        Arguments.of(
            "tar xf a.tar --to-command='sh -c id'", "tar --to-command", "sh -c id", "argument"),
        Arguments.of(
            "tar cf x.tar --checkpoint-action=exec=id .",
            "tar --checkpoint-action",
            "exec=id",
            "argument"),
        Arguments.of("rsync -e 'sh -c id' a b:", "rsync -e", "sh -c id", "argument"),
        Arguments.of("ssh -o ProxyCommand='id' h", "ssh -o proxycommand", "id", "argument"),
        Arguments.of("ssh -p 22 host rm -rf /srv", "ssh", "rm -rf /srv", "argument"),
        Arguments.of("git --upload-pack='id' clone x", "git --upload-pack", "id", "argument"),
        Arguments.of("GIT_SSH_COMMAND='id' git fetch", "env GIT_SSH_COMMAND", "id", "environment"),
        Arguments.of("sudo LD_PRELOAD=/tmp/x.so ls", "env LD_PRELOAD", "/tmp/x.so", "environment"),
        Arguments.of("export BASH_ENV=/tmp/x", "env BASH_ENV", "/tmp/x", "environment"),
        Arguments.of("PS4='$(id)'", "env PS4", "$(id)", "environment"),
        Arguments.of("mapfile -C 'rm -rf /' -c 1 a < f", "mapfile -C", "rm -rf /", "argument"),
        Arguments.of("npx -c 'rm -rf /'", "npx -c", "rm -rf /", "argument"),
        Arguments.of("su -c 'id' root", "su", "id", "argument"),
        Arguments.of("script -qc 'id' /dev/null", "script", "id", "argument"),
        Arguments.of("at now <<< 'id'", "at", "id", "here-string"),
        Arguments.of(
            "docker run --rm -v \"$PWD\":/app -w /app node:20 npm test",
            "docker run",
            "npm test",
            "argument"),
        Arguments.of(
            "docker exec -it app sh -c 'rm -rf /data'",
            "docker exec",
            "sh -c rm -rf /data",
            "argument"),
        Arguments.of(
            "kubectl exec -n prod pod -- bash -c 'id'", "kubectl exec", "bash -c id", "argument"));
  }

  @Test
  void shellScriptsAreReportedAndOpaqueWhenComputed() {
    assertThat(analyze("bash ./deploy.sh --prod").inlineCode())
        .containsExactly(new InlineCode("bash", "", "file", "/work/deploy.sh"));
    ShellAnalysis fetched = analyze("bash <(curl -s https://x)");
    assertThat(fetched.opaqueReasons())
        .anyMatch(r -> r.startsWith("bash runs a file only known at run time"));
    assertThat(only(fetched, "curl").via()).containsExactly("<()");
    assertThat(analyze("hash -p /bin/rm ls; ls").opaqueReasons())
        .anyMatch(r -> r.startsWith("hash -p"));
  }

  @Test
  void sedWithoutExecOrWriteIsNotInlineCode() {
    assertThat(analyze("sed -i 's/a/b/g' f").inlineCode()).isEmpty();
    assertThat(analyze("sed -n '/x/p;s/y/z/2' f").inlineCode()).isEmpty();
  }

  @Test
  void sourceRecordsTheFileAndIsOpaqueOnlyWhenComputed() {
    ShellAnalysis literal = analyze("source ~/.bashrc");
    assertThat(literal.inlineCode())
        .containsExactly(new InlineCode("source", "", "file", "/home/agent/.bashrc"));
    assertThat(literal.opaque()).isFalse();
    assertThat(analyze(". \"$VENV/bin/activate\"").opaqueReasons())
        .anyMatch(r -> r.startsWith("source runs a file only known at run time"));
    ShellAnalysis stdin = analyze("source /dev/stdin <<< 'git push -f'");
    assertThat(only(stdin, "git").via()).containsExactly("source here-string");
    assertThat(stdin.opaque()).isFalse();
    assertThat(analyze("curl -s x | . /dev/fd/0").opaqueReasons())
        .contains("source runs commands read from a pipe");
  }

  @Test
  void aFunctionBodyIsStillAnalyzed() {
    ShellAnalysis analysis = analyze("f(){ git push -f; }; f");
    assertThat(only(analysis, "git").via()).containsExactly("function f");
    assertThat(only(analysis, "f").via()).isEmpty();
  }

  @Test
  void innerCommandsOfShellStringsAreParsedAgain() {
    ShellAnalysis analysis = analyze("bash -c 'git push -f'");
    assertThat(analysis.commands())
        .extracting(AnalyzedCommand::name)
        .containsExactly("bash", "git");
    AnalyzedCommand git = only(analysis, "git");
    assertThat(git.args()).containsExactly("push", "-f");
    assertThat(git.via()).containsExactly("bash -c");
    assertThat(analysis.opaque()).isFalse();
  }

  @Test
  void wrappersCarryAssignmentsAndXargsIsDynamic() {
    AnalyzedCommand git = only(analyze("A=0 sudo -u x env B=1 git push"), "git");
    assertThat(git.assignments()).containsExactly("A=0", "B=1");
    assertThat(git.via()).containsExactly("sudo", "env");
    AnalyzedCommand rm = only(analyze("ls | xargs -0 -n1 rm -rf"), "rm");
    assertThat(rm.via()).containsExactly("xargs");
    assertThat(rm.args()).containsExactly("-rf");
    assertThat(rm.dynamic()).isTrue();
    assertThat(only(analyze("find . -name x -execdir rm {} +"), "rm").via())
        .containsExactly("find -execdir");
    assertThat(only(analyze("command -v git"), "command").args()).containsExactly("-v", "git");
    // the wrapped command's own options are not the wrapper's: sudo -e is sudoedit, "git commit -e"
    // is not
    assertThat(only(analyze("sudo git commit -e"), "git").via()).containsExactly("sudo");
    assertThat(analyze("sudo -e /etc/hosts").programs()).containsExactly("sudo");
    assertThat(only(analyze("command git log -v"), "git").via()).containsExactly("command");
    assertThat(only(analyze("ionice -c3 rsync -p a b"), "rsync").via()).containsExactly("ionice");
  }

  @Test
  void tildeAndBraceExpansion() {
    assertThat(only(analyze("cat ~/.ssh/id_rsa"), "cat").args())
        .containsExactly("/home/agent/.ssh/id_rsa");
    assertThat(only(analyze("cat '~/x' ~root/y"), "cat").args()).containsExactly("~/x", "~root/y");
    assertThat(only(analyze("touch f{1..3}.txt"), "touch").args())
        .containsExactly("f1.txt", "f2.txt", "f3.txt");
    assertThat(only(analyze("echo {01..03} {a..c..2} a{b,{c,d}}e"), "echo").args())
        .containsExactly("01", "02", "03", "a", "c", "abe", "ace", "ade");
    assertThat(only(analyze("echo '{a,b}' {a} {} \\{a,b\\}"), "echo").args())
        .containsExactly("{a,b}", "{a}", "{}", "{a,b}");
    AnalyzedCommand huge = only(analyze("echo " + "{a,b}".repeat(12)), "echo");
    assertThat(huge.dynamic()).isTrue();
    assertThat(huge.args()).hasSize(1);
  }

  @Test
  void tildeExpandsAfterBracesAndOnlyWhenUnquoted() {
    assertThat(only(analyze("cat {~,/tmp}/.ssh/id_rsa ~\"/x\" \"~\"/y"), "cat").args())
        .containsExactly("/home/agent/.ssh/id_rsa", "/tmp/.ssh/id_rsa", "~/x", "~/y");
    assertThat(only(analyze("cat ~+/x"), "cat").dynamic()).isTrue();
  }

  @Test
  void bodiesBashParsesOnlyWhenItRunsThemAreOpaqueNotFatal() {
    ShellAnalysis backquoted = analyze("echo `a)b`; git status");
    assertThat(backquoted.opaqueReasons())
        .anyMatch(r -> r.startsWith("backquoted command not parsed"));
    assertThat(backquoted.programs()).containsExactly("echo", "git");
    ShellAnalysis hereDoc = analyze("bash <<EOF\n$(unclosed\nEOF\ngit status");
    assertThat(hereDoc.opaqueReasons())
        .anyMatch(r -> r.startsWith("here-document body not parsed"));
    assertThat(hereDoc.programs()).containsExactly("bash", "git");
  }

  @Test
  void subscriptsAreReadToTheirBracketWhereAssignmentsStand() {
    ShellAnalysis analysis = analyze("a[1 + 2]=x; a[$(id -u)]=y echo ok; echo b[1");
    assertThat(analysis.opaque()).isFalse();
    assertThat(analysis.programs()).containsExactly("echo", "id");
    assertThat(analysis.commands().get(0).assignments()).containsExactly("a[$(id -u)]=y");
    assertThat(analysis.commands().get(2).args()).containsExactly("b[1");
  }

  @Test
  void ansiCQuotingIsDecodedLikeBash() {
    assertThat(
            only(analyze("echo $'a\\tb\\n\\x41\\101\\u00e9\\U0001F600\\cA\\e\\'\\\\'"), "echo")
                .args())
        .containsExactly("a\tb\nAA\u00e9\uD83D\uDE00\u0001\u001b'\\");
    assertThat(only(analyze("echo $'ab\\x00cd' $'\\q'"), "echo").args())
        .containsExactly("ab", "\\q");
  }

  @Test
  void compoundCommandsAndHereDocsParse() {
    String script =
        String.join(
            "\n",
            "set -euo pipefail",
            "for f in *.txt; do",
            "  case \"$f\" in",
            "    a*|b*) mv \"$f\" /tmp/ ;;&",
            "    (c*) rm -- \"$f\" ;&",
            "    *) echo skip ;;",
            "  esac",
            "done",
            "while read -r line; do echo \"$line\"; done < <(ls)",
            "until [[ -f done && $x =~ ^(a|b)+$ ]]; do sleep 1; done",
            "select x in a b; do break; done",
            "for ((i = 0; i < 3; i++)); do (( n += i )); done",
            "coproc worker { cat; }",
            "arr=(one \"two three\" $(id -u)); arr+=(x)",
            "cat <<-EOF | grep -v x > out.txt",
            "\tbody $(hostname)",
            "\tEOF",
            "if [ -n \"$x\" ]; then echo a; elif true; then echo b; else echo c; fi");
    ShellAnalysis analysis = analyze(script);
    assertThat(analysis.opaque()).as(analysis.opaqueReasons().toString()).isFalse();
    assertThat(analysis.programs())
        .contains("set", "mv", "rm", "echo", "ls", "sleep", "cat", "id", "grep", "hostname", "[");
    assertThat(only(analysis, "id").via()).containsExactly("$()");
  }

  @Test
  void resourceFieldsArePlainValues() {
    Map<String, Object> fields =
        analyze("sudo git push > /tmp/log; python3 -c 'x'").toResourceFields();
    assertThat(fields)
        .containsKeys(
            "commands",
            "redirects",
            "inlineCode",
            "opaque",
            "opaqueReasons",
            "program",
            "programs");
    assertThat(fields.get("program")).isEqualTo("git");
    assertThat(fields.get("programs")).isEqualTo(List.of("git", "python3"));
    assertThat(fields.get("opaque")).isEqualTo(false);
    @SuppressWarnings("unchecked")
    Map<String, Object> git = ((List<Map<String, Object>>) fields.get("commands")).get(0);
    assertThat(git)
        .containsEntry("name", "git")
        .containsEntry("path", "git")
        .containsEntry("via", List.of("sudo"))
        .containsEntry("args", List.of("push"))
        .containsEntry("dynamic", false)
        .containsEntry("cwd", "/work");
    assertThat(fields.get("redirects"))
        .isEqualTo(List.of(Map.of("op", ">", "fd", "", "target", "/tmp/log", "dynamic", false)));
  }

  @Test
  void emptyAndCommentOnlyInputsHaveNoCommands() {
    for (String command : List.of("", "   ", "# comment", "\n\n")) {
      ShellAnalysis analysis = analyze(command);
      assertThat(analysis.commands()).isEmpty();
      assertThat(analysis.program()).isEmpty();
      assertThat(analysis.opaque()).isFalse();
    }
  }

  /**
   * Values the command line states are folded into a second view of a dynamic command, beside the
   * view as written: variables given a literal, $HOME, $(echo …) and $(printf %s …).
   */
  @Test
  void statedValuesAreFoldedIntoASecondView() {
    assertThat(folded(analyze("P=push; git $P -f"), "git").args()).containsExactly("push", "-f");
    assertThat(folded(analyze("export P=push; git $P -f"), "git").args())
        .containsExactly("push", "-f");
    assertThat(folded(analyze("$(echo rm) -rf /"), "rm").args()).containsExactly("-rf", "/");
    assertThat(folded(analyze("`echo rm` -rf /"), "rm").args()).containsExactly("-rf", "/");
    assertThat(folded(analyze("x=$(printf rm); $x -rf /"), "rm").args())
        .containsExactly("-rf", "/");
    assertThat(folded(analyze("cat \"$(printf '.%s' env)\""), "cat").args())
        .containsExactly(".env");
    assertThat(folded(analyze("rm -rf \"${HOME}\""), "rm").args())
        .containsExactly("-rf", "/home/agent");
    // The view as written stays, with its run-time parts marked.
    assertThat(only(analyze("P=push; git $P -f"), "git").dynamic()).isTrue();
    // Nothing stated, nothing folded.
    assertThat(analyze("git $Q -f").commands()).hasSize(1);
    assertThat(analyze("git $(cat f) -f").commands()).noneMatch(c -> c.via().contains("folded"));
  }
}
