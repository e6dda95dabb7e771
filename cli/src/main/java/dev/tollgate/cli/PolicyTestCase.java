package dev.tollgate.cli;

import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.hook.HookInput;
import java.util.List;

/**
 * One case of a {@link PolicyTestFile}.
 *
 * @param path where it is in its file ({@code spec.cases[3]})
 * @param principal the user the agent acts for; empty for none
 * @param expect the decision the call must get (in Audit mode that is {@code allow})
 * @param expectRule a rule id ({@code namespace/policy/rule}) that must be among the deciding
 *     rules, or null
 * @param expectReason a reason code that must be among the reasons (the would-be ones included), or
 *     null
 * @param expectWouldDecide the decision Enforce mode would take, for an identity in Audit mode, or
 *     null
 */
record PolicyTestCase(
    String name,
    String path,
    String principal,
    List<String> groups,
    HookInput input,
    Outcome expect,
    String expectRule,
    String expectReason,
    Outcome expectWouldDecide) {

  PolicyTestCase {
    groups = List.copyOf(groups);
  }
}
