package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCommandTest {

  private static final ObjectRef REPO_CODER =
      new ObjectRef(Kind.AGENT_IDENTITY, "agents", "repo-coder");

  @TempDir Path dir;

  @Test
  void printsExactlyTheEngineCanonicalBundle() throws Exception {
    CliRun run =
        CliRun.run("bundle", "-f", CliRun.EXAMPLES.toString(), "--identity", "agents/repo-coder");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo(BundleCodec.toJson(engineBundle()));
    assertThat(BundleCodec.fromJson(run.out()).identity().name()).isEqualTo("repo-coder");
  }

  @Test
  void isByteIdenticalAcrossRuns() {
    CliRun first =
        CliRun.run("bundle", "-f", CliRun.EXAMPLES.toString(), "--identity", "agents/repo-coder");
    CliRun second =
        CliRun.run("bundle", "-f", CliRun.EXAMPLES.toString(), "--identity", "agents/repo-coder");

    assertThat(second.out()).isEqualTo(first.out());
  }

  @Test
  void writesTheFileWithOutput() throws Exception {
    Path output = dir.resolve("repo-coder.json");

    CliRun run =
        CliRun.run(
            "bundle",
            "-f",
            CliRun.EXAMPLES.toString(),
            "--identity",
            "agents/repo-coder",
            "-o",
            output.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(Files.readString(output)).isEqualTo(BundleCodec.toJson(engineBundle()));
  }

  @Test
  void unknownIdentityListsTheKnownOnes() {
    CliRun run =
        CliRun.run("bundle", "-f", CliRun.EXAMPLES.toString(), "--identity", "agents/nobody");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            "AgentIdentity/agents/nobody: AgentIdentity agents/nobody not found"
                + " in the given manifests (found: agents/docs-writer, agents/repo-coder)");
  }

  @Test
  void identityMustBeNamespaceSlashName() {
    CliRun run = CliRun.run("bundle", "-f", CliRun.EXAMPLES.toString(), "--identity", "repo-coder");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'repo-coder' must be NAMESPACE/NAME of an AgentIdentity");
  }

  @Test
  void brokenPolicyOfTheIdentityFailsTheBundle() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: no-shell, tools: [Bash], when: "resource.command.matches('[')", effect: Deny}
        """));

    CliRun run = CliRun.run("bundle", "-f", dir.toString(), "--identity", "team/coder");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            dir.resolve("policy.yaml")
                + ": ToolPolicy/team/p: spec.rules[0].when: invalid regular expression '[' in matches(): missing closing ]");
  }

  @Test
  void unreadableFileFailsTheBundleSinceItMayHoldADeny() {
    Manifests.folderWithPolicy(
        dir,
        Manifests.policy(
            """
            - {name: read, tools: [Read], effect: Allow}
        """));
    Path broken =
        Manifests.write(dir.resolve("more-policies.yaml"), "kind: ToolPolicy\n  bad: [indent\n");

    CliRun run = CliRun.run("bundle", "-f", dir.toString(), "--identity", "team/coder");

    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .startsWith(broken + ": invalid YAML at line 2");
  }

  private static Bundle engineBundle() {
    ManifestLoader.Result loaded = new ManifestLoader().load(List.of(CliRun.EXAMPLES));
    Compilation compilation =
        new BundleCompiler()
            .compile(PolicySet.fromDocuments(loaded.documents(), "default"), REPO_CODER);
    return compilation.bundle().orElseThrow();
  }
}
