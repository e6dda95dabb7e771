package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.decision.Outcome;
import dev.tollgate.engine.decision.Reason;
import dev.tollgate.engine.hook.BadHookInputException;
import dev.tollgate.engine.hook.HookInput;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.model.SpecReader;
import dev.tollgate.engine.model.SpecReader.Element;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code ToolPolicyTest} documents as strictly as the engine reads policies: an unknown field
 * (a misspelt {@code expcet}) or a bad value is an error with its file and field path, never a
 * silently skipped check.
 */
final class PolicyTestFileParser {

  private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations");
  private static final Set<String> SPEC = Set.of("identity", "cases");
  private static final Set<String> CASE =
      Set.of(
          "name",
          "principal",
          "groups",
          "input",
          "expect",
          "expectRule",
          "expectReason",
          "expectWouldDecide");

  private final PolicySet policies;
  private final String defaultNamespace;

  PolicyTestFileParser(PolicySet policies, String defaultNamespace) {
    this.policies = policies;
    this.defaultNamespace = defaultNamespace;
  }

  static boolean isTestDocument(JsonNode document) {
    return document.path("apiVersion").asText().startsWith(PolicyTestFile.GROUP + "/");
  }

  /** The test files among the documents; problems of the broken ones go to {@code problems}. */
  List<PolicyTestFile> parseAll(List<ManifestLoader.Document> documents, List<Problem> problems) {
    List<PolicyTestFile> files = new ArrayList<>();
    for (ManifestLoader.Document document : documents) {
      if (isTestDocument(document.node())) {
        parse(document, problems).ifPresent(files::add);
      }
    }
    return files;
  }

  Optional<PolicyTestFile> parse(ManifestLoader.Document document, List<Problem> problems) {
    JsonNode node = document.node();
    String name = node.path("metadata").path("name").asText("");
    String namespace = node.path("metadata").path("namespace").asText("");
    String object =
        name.isEmpty()
            ? PolicyTestFile.KIND
            : PolicyTestFile.KIND
                + "/"
                + (namespace.isEmpty() ? defaultNamespace : namespace)
                + "/"
                + name;
    SpecReader fields = new SpecReader(document.origin(), object, problems);
    int before = problems.size();
    String apiVersion = node.path("apiVersion").asText();
    if (!apiVersion.equals(PolicyTestFile.API_VERSION)) {
      fields.problem(
          ProblemCode.INVALID_OBJECT,
          "apiVersion",
          "unsupported version " + apiVersion + " (expected " + PolicyTestFile.API_VERSION + ")");
    }
    String kind = node.path("kind").asText("");
    if (!kind.equals(PolicyTestFile.KIND)) {
      fields.problem(
          ProblemCode.INVALID_OBJECT,
          "kind",
          "unknown kind '"
              + kind
              + "' in "
              + PolicyTestFile.GROUP
              + " (expected "
              + PolicyTestFile.KIND
              + ")");
      return Optional.empty();
    }
    fields.rejectUnknown(node, "", TOP);
    fields
        .object(node, "", "metadata", true)
        .ifPresent(
            metadata -> {
              fields.rejectUnknown(metadata, "metadata", METADATA);
              fields.string(metadata, "metadata", "name", true);
            });
    Optional<JsonNode> specNode = fields.object(node, "", "spec", true);
    if (specNode.isEmpty()) {
      return Optional.empty();
    }
    JsonNode spec = specNode.get();
    fields.rejectUnknown(spec, "spec", SPEC);
    ObjectRef identity = identity(fields, spec);
    List<PolicyTestCase> cases = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (Element element : fields.objectList(spec, "spec", "cases", true)) {
      testCase(fields, element.node(), element.path())
          .ifPresent(
              c -> {
                String previous = names.putIfAbsent(c.name(), c.path());
                if (previous != null) {
                  fields.problem(
                      c.path() + ".name",
                      "duplicate case name '" + c.name() + "' (also at " + previous + ")");
                }
                cases.add(c);
              });
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new PolicyTestFile(document.origin(), object, identity, cases));
  }

  private ObjectRef identity(SpecReader fields, JsonNode spec) {
    String text = fields.string(spec, "spec", "identity", true).orElse(null);
    if (text == null) {
      return null;
    }
    try {
      ObjectRef ref = IdentityRefConverter.parse(text);
      if (policies.identity(ref).isEmpty()) {
        List<String> known = policies.identities().stream().map(i -> i.ref().key()).toList();
        fields.problem(
            ProblemCode.MISSING_REFERENCE,
            "spec.identity",
            "AgentIdentity "
                + ref.key()
                + " not found in the given manifests"
                + (known.isEmpty() ? "" : " (found: " + String.join(", ", known) + ")"));
      }
      return ref;
    } catch (IllegalArgumentException e) {
      fields.problem("spec.identity", e.getMessage());
      return null;
    }
  }

  private Optional<PolicyTestCase> testCase(SpecReader fields, JsonNode node, String path) {
    int before = fields.problemCount();
    fields.rejectUnknown(node, path, CASE);
    String name = fields.string(node, path, "name", true).orElse(null);
    String principal = fields.string(node, path, "principal", false).orElse(null);
    List<String> groups = fields.stringList(node, path, "groups", false);
    HookInput input = null;
    Optional<JsonNode> inputNode = fields.object(node, path, "input", true);
    if (inputNode.isPresent()) {
      try {
        input = PreToolUseInput.parse(inputNode.get());
      } catch (BadHookInputException e) {
        fields.problem(path + ".input", e.getMessage());
      }
    }
    Outcome expect = outcome(fields, node, path, "expect", true);
    String expectRule = fields.string(node, path, "expectRule", false).orElse(null);
    if (expectRule != null && expectRule.split("/", -1).length != 3) {
      fields.problem(
          path + ".expectRule", "'" + expectRule + "' must be a rule id: namespace/policy/rule");
    }
    String expectReason = fields.string(node, path, "expectReason", false).orElse(null);
    if (expectReason != null
        && Arrays.stream(Reason.values()).noneMatch(r -> r.name().equals(expectReason))) {
      fields.problem(
          path + ".expectReason",
          "unknown reason '"
              + expectReason
              + "' (expected one of "
              + String.join(
                  ", ", new TreeSet<>(Arrays.stream(Reason.values()).map(Reason::name).toList()))
              + ")");
    }
    Outcome expectWouldDecide = outcome(fields, node, path, "expectWouldDecide", false);
    if (fields.problemCount() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new PolicyTestCase(
            name,
            path,
            principal == null ? "" : principal,
            groups,
            input,
            expect,
            expectRule,
            expectReason,
            expectWouldDecide));
  }

  private static Outcome outcome(
      SpecReader fields, JsonNode node, String path, String field, boolean required) {
    String text = fields.string(node, path, field, required).orElse(null);
    if (text == null) {
      return null;
    }
    try {
      return Outcome.fromWireName(text);
    } catch (IllegalArgumentException e) {
      fields.problem(
          path + "." + field, "must be allow, deny or approval_required, got '" + text + "'");
      return null;
    }
  }
}
