package dev.tollgate.cli;

import dev.tollgate.engine.source.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Who makes the calls a command decides: the identity, and the principal it acts for. */
final class CallerOptions {

  @Option(
      names = "--identity",
      required = true,
      paramLabel = "NS/NAME",
      converter = IdentityRefConverter.class,
      description = "The AgentIdentity that makes the call, e.g. agents/repo-coder.")
  ObjectRef identity;

  @Option(
      names = "--principal",
      paramLabel = "NAME",
      defaultValue = "",
      description =
          "The user the agent acts for (checked against user:NAME in spec.delegation.allowedPrincipals). Default: none.")
  String principal = "";

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description = "A group of the principal (checked against group:GROUP). Repeatable.")
  List<String> groups = new ArrayList<>();
}
