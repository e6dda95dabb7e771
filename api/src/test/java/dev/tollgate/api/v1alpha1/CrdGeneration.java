package dev.tollgate.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.File;

/**
 * Generates the four CRDs from this module's classes (run by the build in process-test-classes,
 * before the tests that compare them with crds/). Fabric8's generator is called here rather than
 * through its Maven plugin because only the API takes a post-processor, and the conditions need one
 * ({@link ConditionListMaps}).
 */
public final class CrdGeneration {

  private CrdGeneration() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CrdGeneration <output directory>");
    }
    File output = new File(args[0]);
    if (!output.isDirectory() && !output.mkdirs()) {
      throw new IllegalStateException("cannot create " + output);
    }
    int written =
        new CRDGenerator()
            .customResourceClasses(
                AgentIdentity.class, ToolScope.class, ToolPolicy.class, ToolCallApproval.class)
            .forCRDVersions("v1")
            .withParallelGenerationEnabled(false)
            .withPostProcessor(new ConditionListMaps())
            .inOutputDir(output)
            .generate();
    if (written != 4) {
      throw new IllegalStateException("generated " + written + " CRDs, expected 4");
    }
  }
}
