package dev.tollgate.cli;

import dev.tollgate.engine.source.ObjectRef;
import java.util.List;

/**
 * A {@code ToolPolicyTest} document: tool calls of one identity and the decisions they must get.
 *
 * @param origin the file it came from
 * @param object {@code ToolPolicyTest/namespace/name}, for messages
 * @param identity the AgentIdentity whose bundle decides the cases
 */
record PolicyTestFile(
    String origin, String object, ObjectRef identity, List<PolicyTestCase> cases) {

  static final String GROUP = "cli.tollgate.dev";
  static final String API_VERSION = GROUP + "/v1alpha1";
  static final String KIND = "ToolPolicyTest";

  PolicyTestFile {
    cases = List.copyOf(cases);
  }
}
