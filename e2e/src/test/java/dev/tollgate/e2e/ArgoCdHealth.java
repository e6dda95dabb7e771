package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testsupport.tools.GoTool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What Argo CD concludes about an object with the health check README.md tells users to add to
 * {@code argocd-cm}: that very Lua, cut out of README.md, run by {@code tools/argocd-health-check}
 * (gopher-lua, the interpreter Argo CD embeds, with the libraries Argo CD opens), which {@code
 * bin/tools/argocd-health} builds once per machine.
 */
final class ArgoCdHealth {

  /** The first key of the README's argocd-cm snippet; the script is the block under it. */
  static final String KEY =
      "resource.customizations.health.tollgate.dev_AgentIdentity: &tollgate |";

  private final GoTool tool;
  private final Path script;

  private ArgoCdHealth(GoTool tool, Path script) {
    this.tool = tool;
    this.script = script;
  }

  /** The checker, with the README's script written to {@code dir}. */
  static ArgoCdHealth build(Path repoRoot, Path dir) {
    try {
      Path script = dir.resolve("tollgate-health.lua");
      Files.writeString(script, scriptOf(Files.readString(repoRoot.resolve("README.md"))));
      return new ArgoCdHealth(GoTool.build(repoRoot, "argocd-health"), script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The Lua under {@link #KEY} in README.md: the lines indented deeper than the key, with that
   * indentation taken off, as YAML's literal block gives them to Argo CD.
   */
  static String scriptOf(String readme) {
    List<String> lines = readme.lines().toList();
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(KEY)) {
        start = i;
      }
    }
    assertThat(start).as("README.md has the argocd-cm key " + KEY).isNotNegative();
    int keyIndent = indent(lines.get(start));
    List<String> block = new ArrayList<>();
    int blockIndent = -1;
    for (String line : lines.subList(start + 1, lines.size())) {
      if (!line.isBlank() && indent(line) <= keyIndent) {
        break;
      }
      if (blockIndent < 0 && !line.isBlank()) {
        blockIndent = indent(line);
      }
      block.add(line.isBlank() ? "" : line.substring(blockIndent));
    }
    assertThat(block).as("the Lua under " + KEY).isNotEmpty();
    return String.join("\n", block) + "\n";
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }

  /** Argo CD's health of {@code object}: Healthy, Progressing, Degraded, … and its message. */
  GitOpsVerdict of(HasMetadata object) {
    return GitOpsVerdict.parse(
        tool.run(Serialization.asJson(object), 0, Duration.ofSeconds(30), script.toString()));
  }
}
