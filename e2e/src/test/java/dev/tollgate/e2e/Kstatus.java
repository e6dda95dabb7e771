package dev.tollgate.e2e;

import dev.tollgate.testsupport.tools.GoTool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What Flux concludes about an object: the status that the kstatus library (sigs.k8s.io/cli-utils,
 * the one Flux's health checks and kpt use) computes, through the small Go program {@code
 * tools/kstatus-check} that {@code bin/tools/kstatus} builds once per machine.
 */
final class Kstatus {

  private final GoTool tool;

  private Kstatus(GoTool tool) {
    this.tool = tool;
  }

  static Kstatus build(Path repoRoot) {
    return new Kstatus(GoTool.build(repoRoot, "kstatus"));
  }

  /** Current, InProgress or Failed, and kstatus's message. */
  GitOpsVerdict of(HasMetadata object) {
    return GitOpsVerdict.parse(tool.run(Serialization.asJson(object), 0, Duration.ofSeconds(30)));
  }
}
