package dev.tollgate.engine.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Command knowledge as policies rely on it: every spelling of the same effect reads the same. */
class CommandKnowledgeTest {

  private static final PathResolver FROM_WORKSPACE =
      path ->
          path.startsWith("/")
              ? normalize(path)
              : path.startsWith("~")
                  ? normalize("/home/agent/" + path.substring(1))
                  : normalize("/workspace/" + path);

  @ParameterizedTest(name = "git {0} is a force push")
  @ValueSource(
      strings = {
        "push -f",
        "push --force",
        "push -uf origin main",
        "push -fu",
        "push origin +main",
        "push origin +refs/heads/main:refs/heads/main",
        "push --force-with-lease",
        "push --force-with-lease=main:abc",
        "push --mirror",
        "push --mirr",
        "push --forc origin",
        "--no-pager push --force",
        "-c color.ui=never push -f",
        "-C /tmp push -f",
        "--git-dir=.git push -f",
        "--git-dir .git push -f",
        "push -v -o ci.skip -f",
        "push origin main +dev",
        "send-pack --force . main",
        "push --force-if-includes",
        "-c remote.origin.push=+refs/heads/*:refs/heads/* push",
        "-c remote.origin.mirror=true push",
        "subtree push -f --prefix=x origin main"
      })
  void everySpellingOfAForcePushIsForce(String args) {
    assertThat(git(args)).containsEntry("pushes", true).containsEntry("force", true);
  }

  @ParameterizedTest(name = "git {0} is an ordinary push")
  @ValueSource(
      strings = {
        "push",
        "push origin main",
        "push -u origin feature",
        "push --tags",
        "push -o ci.skip",
        "push -o force",
        "push --set-upstream origin x",
        "push origin :",
        "push --no-force-with-lease",
        "push --push-option=-f origin main",
        "push origin refs/heads/a:refs/heads/b"
      })
  void ordinaryPushesAreNotForce(String args) {
    assertThat(git(args)).containsEntry("pushes", true).containsEntry("force", false);
  }

  @ParameterizedTest(name = "git {0} deletes remote refs")
  @ValueSource(
      strings = {
        "push --delete origin x",
        "push -d origin x",
        "push origin :x",
        "push --prune origin",
        "push --mirror",
        "push --del origin x"
      })
  void deletionsAreSeen(String args) {
    assertThat(git(args)).containsEntry("deletes", true);
  }

  @Test
  void globalOptionsComeBeforeTheSubcommand() {
    // Section and variable names are case-insensitive in git; a subsection keeps its case.
    Map<String, Object> facts = git("-C sub -c User.Name=x --no-pager --git-dir=.git status -s");
    assertThat(facts)
        .containsEntry("subcommand", "status")
        .containsEntry("directory", "sub")
        .containsEntry("args", List.of("-s"))
        .containsEntry("configs", List.of("user.name=x"))
        .containsEntry("knownSubcommand", true)
        .containsEntry("pushes", false);
  }

  @ParameterizedTest(name = "git {0} is not a subcommand git knows")
  @ValueSource(strings = {"p", "-c alias.p=push p -f", "pu\\sh", "lfs-push"})
  void unknownSubcommandsMayBeAliases(String args) {
    assertThat(git(args)).containsEntry("knownSubcommand", false);
  }

  @ParameterizedTest(name = "git {0} runs code")
  @ValueSource(
      strings = {
        "-c alias.x=!sh x",
        "-c core.fsmonitor=./evil status",
        "-c core.pager=sh log",
        "-c Core.SSHCommand=x fetch",
        "-c protocol.ext.allow=always fetch x",
        "clone ext::sh -c id x",
        "fetch fd::3",
        "rebase --exec make main",
        "rebase -x make main",
        "rebase -xmake main",
        "bisect run ./t.sh",
        "submodule foreach rm -rf .",
        "filter-branch --tree-filter rm x",
        "difftool --extcmd=sh",
        "grep -O cat x",
        "fetch --upload-pack=sh origin",
        "clone -u sh x y",
        "push --receive-pack=sh /tmp/x",
        "config core.hooksPath .h",
        "config --global core.fsmonitor x",
        "config set core.editor x",
        "config alias.p '!sh'",
        "hook run pre-commit",
        "-c include.path=/tmp/c log",
        "--config-env=core.pager=PAGER log",
        "config -e",
        "-c filter.x.smudge=sh checkout .",
        "-c diff.x.textconv=sh diff",
        "-c credential.helper=!sh fetch",
        "clone --template=/tmp/t x"
      })
  void codeHandedToGitIsSeen(String args) {
    assertThat((List<?>) git(args).get("runsCode")).isNotEmpty();
  }

  @ParameterizedTest(name = "git {0} runs no code")
  @ValueSource(
      strings = {
        "status",
        "log --oneline -5",
        "-c color.ui=always diff",
        "config user.name",
        "config --get core.hooksPath",
        "config --list",
        "commit -m fix",
        "push origin main",
        "clone https://x/y"
      })
  void ordinaryGitRunsNoCode(String args) {
    assertThat((List<?>) git(args).get("runsCode")).isEmpty();
  }

  @Test
  void gitConfigWritesAreListed() {
    assertThat(git("config --global --add Alias.P push").get("configWrites"))
        .isEqualTo(List.of("alias.p"));
    assertThat(git("config --unset core.hooksPath").get("configWrites"))
        .isEqualTo(List.of("core.hookspath"));
    assertThat(git("config user.email a@b").get("configWrites")).isEqualTo(List.of("user.email"));
    assertThat(git("config user.email").get("configWrites")).isEqualTo(List.of());
  }

  static Stream<Arguments> deletes() {
    return Stream.of(
        Arguments.of("rm -rf /", true, List.of("/")),
        Arguments.of("rm -fr ..", true, List.of("/")),
        Arguments.of("rm -r -f -- -x", true, List.of("/workspace/-x")),
        Arguments.of("rm --recursive ~", true, List.of("/home/agent")),
        Arguments.of("rm --rec build", true, List.of("/workspace/build")),
        Arguments.of("rm -Rf //*", true, List.of("/*")),
        Arguments.of("rm x.txt", false, List.of("/workspace/x.txt")),
        Arguments.of("find / -name x -delete", true, List.of("/")),
        Arguments.of("find -delete", true, List.of("/workspace")),
        Arguments.of("rmdir a", false, List.of("/workspace/a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deletes")
  void deleteTargetsAreAbsolute(String command, boolean recursive, List<String> targets) {
    assertThat(facts(command).get("delete"))
        .isEqualTo(Map.of("recursive", recursive, "targets", targets));
  }

  @ParameterizedTest(name = "{0} makes world-writable files")
  @ValueSource(
      strings = {
        "chmod 777 x",
        "chmod 0777 x",
        "chmod 1777 /tmp/x",
        "chmod 666 x",
        "chmod 2 x",
        "chmod a=rwx x",
        "chmod o+w x",
        "chmod +w x",
        "chmod -R a+rwX d",
        "chmod u=rwx,go=u x",
        "chmod o=u x",
        "chmod ugo+w x",
        "mkdir -m 777 d",
        "mkdir -m777 d",
        "mkdir -pm777 d",
        "mkdir -pm 777 d",
        "mkdir --mode=a+w d",
        "install -m 0777 a b",
        "umask 000",
        "umask 0",
        "umask 020",
        "chmod --reference=/tmp/x y",
        "chmod g=rwx,o+w x"
      })
  void worldWritableModesInEverySpelling(String command) {
    assertThat(facts(command).get("mode")).asInstanceOf(MAP).containsEntry("worldWritable", true);
  }

  @ParameterizedTest(name = "{0} does not")
  @ValueSource(
      strings = {
        "chmod 755 x",
        "chmod 644 x",
        "chmod +x x",
        "chmod u+w x",
        "chmod go-w x",
        "chmod -w x",
        "chmod -R 750 d",
        "mkdir -m 700 d",
        "umask 022",
        "umask 077",
        "chmod g+w x"
      })
  void ordinaryModesAreNotWorldWritable(String command) {
    assertThat(facts(command).get("mode")).asInstanceOf(MAP).containsEntry("worldWritable", false);
  }

  @Test
  void setuidBitsAreSeen() {
    assertThat(mode("chmod 4755 x")).containsEntry("setuid", true).containsEntry("setgid", false);
    assertThat(mode("chmod u+s x")).containsEntry("setuid", true);
    assertThat(mode("chmod g+s x")).containsEntry("setgid", true).containsEntry("setuid", false);
    assertThat(mode("chmod +s x")).containsEntry("setuid", true).containsEntry("setgid", true);
  }

  @Test
  void linksAreSeen() {
    assertThat(facts("ln -s ~/.ssh/id_rsa key").get("link"))
        .isEqualTo(Map.of("symbolic", true, "hard", false));
    assertThat(facts("ln -sf a b").get("link")).isEqualTo(Map.of("symbolic", true, "hard", false));
    assertThat(facts("ln a b").get("link")).isEqualTo(Map.of("symbolic", false, "hard", true));
    assertThat(facts("cp --symbolic-link a b").get("link"))
        .isEqualTo(Map.of("symbolic", true, "hard", false));
    assertThat(facts("cp -al a b").get("link")).isEqualTo(Map.of("symbolic", false, "hard", true));
    assertThat(facts("cp -r a b")).doesNotContainKey("link");
  }

  @Test
  void unknownCommandsGetNoFacts() {
    assertThat(facts("ls -la")).isEmpty();
    assertThat(facts("echo rm -rf /")).isEmpty();
  }

  private static Map<String, Object> git(String args) {
    @SuppressWarnings("unchecked")
    Map<String, Object> git = (Map<String, Object>) facts("git " + args).get("git");
    return git;
  }

  private static Map<String, Object> mode(String command) {
    @SuppressWarnings("unchecked")
    Map<String, Object> mode = (Map<String, Object>) facts(command).get("mode");
    return mode;
  }

  private static Map<String, Object> facts(String command) {
    List<String> words = Arrays.asList(command.split(" "));
    return CommandKnowledge.factsOf(words.get(0), words.subList(1, words.size()), FROM_WORKSPACE);
  }

  private static String normalize(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        parts.pollLast();
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }
}
