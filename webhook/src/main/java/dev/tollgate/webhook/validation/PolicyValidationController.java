package dev.tollgate.webhook.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.ManifestParser;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.webhook.admission.AdmissionController;
import dev.tollgate.webhook.admission.AdmissionResponses;
import dev.tollgate.webhook.injection.AuditExportInjection;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code CREATE/UPDATE} of AgentIdentities, ToolScopes and ToolPolicies: the engine reads the
 * submitted document exactly as {@code tollgate validate} reads a file, and a bad object is refused
 * at {@code kubectl apply} with the same messages. References to other objects (a ToolScope that
 * does not exist yet) are not checked here: GitOps tools apply in any order; the operator reports
 * them in status. An AgentIdentity's own audit export is checked as the pod injection will check
 * it, so an endpoint the cluster does not let identities choose is refused at apply rather than at
 * the first pod.
 */
public final class PolicyValidationController implements AdmissionController {

  private static final Set<String> KINDS = Set.of("AgentIdentity", "ToolScope", "ToolPolicy");
  private static final String ORIGIN = "admission";

  private final AuditExportInjection auditExport;

  public PolicyValidationController(AuditExportInjection auditExport) {
    this.auditExport = auditExport;
  }

  @Override
  public AdmissionResponse admit(AdmissionRequest request) {
    String kind = request.getKind() == null ? "" : request.getKind().getKind();
    if (!KINDS.contains(kind)
        || request.getObject() == null
        || !("CREATE".equals(request.getOperation()) || "UPDATE".equals(request.getOperation()))) {
      return AdmissionResponses.allow(request);
    }
    JsonNode document = Serialization.jsonMapper().valueToTree(request.getObject());
    ManifestParser.Outcome outcome =
        new ManifestParser(request.getNamespace() == null ? "default" : request.getNamespace())
            .parse(document, ORIGIN);
    List<Problem> problems;
    if (outcome instanceof ManifestParser.Parsed parsed) {
      problems = PolicySet.problemsAlone(parsed.object());
    } else if (outcome instanceof ManifestParser.Rejected rejected) {
      problems = List.of(rejected.problem());
    } else {
      return AdmissionResponses.allow(request);
    }
    if (problems.isEmpty()) {
      Optional<String> export =
          kind.equals("AgentIdentity")
              ? auditExport.refusalFor(
                  Serialization.jsonMapper().convertValue(document, AgentIdentity.class))
              : Optional.empty();
      return export.isEmpty()
          ? AdmissionResponses.allow(request)
          : AdmissionResponses.deny(request, 400, export.get());
    }
    return AdmissionResponses.deny(
        request,
        400,
        problems.stream().map(p -> p.withoutOrigin().toString()).collect(Collectors.joining("\n")));
  }
}
