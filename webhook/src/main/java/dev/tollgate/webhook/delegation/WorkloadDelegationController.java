package dev.tollgate.webhook.delegation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.delegation.DelegationProof;
import dev.tollgate.webhook.admission.AdmissionController;
import dev.tollgate.webhook.admission.AdmissionResponses;
import dev.tollgate.webhook.injection.PodAnnotations;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code CREATE}/{@code UPDATE} of workloads whose pod template claims a principal: the webhook
 * checks the requester as it checks a pod's creator and stamps a proof bound to this workload into
 * the template, which the built-in controllers then copy into the pods. A creation that may not
 * claim the principal is refused; an update that may not loses the proof (with a warning), so the
 * workload's new pods are refused until someone who may claim it updates it again.
 */
public final class WorkloadDelegationController implements AdmissionController {

  /** Where each kind keeps its pod template. */
  private static final Map<String, String> TEMPLATES =
      Map.of(
          "Deployment", "/spec/template",
          "ReplicaSet", "/spec/template",
          "StatefulSet", "/spec/template",
          "DaemonSet", "/spec/template",
          "Job", "/spec/template",
          "CronJob", "/spec/jobTemplate/spec/template");

  private final DelegationCheck check;
  private final Set<String> excludedNamespaces;

  public WorkloadDelegationController(DelegationCheck check, Set<String> excludedNamespaces) {
    this.check = check;
    this.excludedNamespaces = Set.copyOf(excludedNamespaces);
  }

  /** The workload kinds this controller must see (for the webhook configuration). */
  public static Set<String> kinds() {
    return TEMPLATES.keySet();
  }

  @Override
  public AdmissionResponse admit(AdmissionRequest request) {
    String kind = request.getKind() == null ? "" : request.getKind().getKind();
    String templatePath = TEMPLATES.get(kind);
    boolean create = "CREATE".equals(request.getOperation());
    if (templatePath == null
        || !(create || "UPDATE".equals(request.getOperation()))
        || request.getObject() == null
        || request.getNamespace() == null
        || excludedNamespaces.contains(request.getNamespace())) {
      return AdmissionResponses.allow(request);
    }
    ObjectNode object = Serialization.jsonMapper().valueToTree(request.getObject());
    Map<String, String> annotations = annotations(object.at(templatePath));
    Claim claim = Claim.of(annotations);
    String requester = request.getUserInfo() == null ? null : request.getUserInfo().getUsername();
    if (!claim.claimsSomeone() || BuiltInControllers.isOne(requester)) {
      // A controller copies a template it was given; the pods it creates are checked one by one.
      return AdmissionResponses.allow(request);
    }
    if (!create && unchanged(object, request.getOldObject(), templatePath)) {
      return AdmissionResponses.allow(request);
    }
    String name = object.at("/metadata/name").asText("");
    String what = kind + " " + request.getNamespace() + "/" + name;
    if (name.isEmpty()) {
      return AdmissionResponses.deny(
          request,
          400,
          kind
              + " claims tollgate.dev/on-behalf-of but has no metadata.name: a delegation proof is "
              + "bound to the workload's name, which generateName leaves open");
    }
    DelegationResult result = check.forTemplate(annotations, request.getUserInfo());
    Map<String, String> updated = new LinkedHashMap<>(annotations);
    if (result.principal().isPresent()) {
      Principal principal = result.principal().get();
      updated.put(PodAnnotations.ON_BEHALF_OF, principal.user());
      updated.put(PodAnnotations.ON_BEHALF_OF_GROUPS, String.join(",", principal.groups()));
      updated.put(
          DelegationProof.ANNOTATION,
          check.stamp(request.getNamespace(), kind, name, principal).text());
      return AdmissionResponses.patch(request, diff(object, templatePath, updated));
    }
    if (create) {
      return AdmissionResponses.deny(request, 403, what + ": " + result.refusal());
    }
    updated.remove(DelegationProof.ANNOTATION);
    return AdmissionResponses.patch(
        request,
        diff(object, templatePath, updated),
        List.of(
            what
                + ": "
                + result.refusal()
                + ". The delegation proof was removed from the pod template: new pods of this "
                + "workload will be refused until someone who may act for "
                + claim.user()
                + " updates it."));
  }

  private static JsonNode diff(ObjectNode object, String templatePath, Map<String, String> after) {
    ObjectNode changed = object.deepCopy();
    JsonNode template = changed.at(templatePath);
    ObjectNode metadata =
        template.has("metadata")
            ? (ObjectNode) template.get("metadata")
            : ((ObjectNode) template).putObject("metadata");
    ObjectNode annotations = metadata.putObject("annotations");
    after.forEach(annotations::put);
    return JsonDiff.asJson(object, changed);
  }

  /** The same pod template apart from the proof, and the same proof: nothing to re-check. */
  private static boolean unchanged(ObjectNode object, Object oldObject, String templatePath) {
    if (oldObject == null) {
      return false;
    }
    JsonNode before = Serialization.jsonMapper().valueToTree(oldObject).at(templatePath);
    JsonNode after = object.at(templatePath);
    return Optional.ofNullable(annotations(before).get(DelegationProof.ANNOTATION))
            .equals(Optional.ofNullable(annotations(after).get(DelegationProof.ANNOTATION)))
        && withoutProof(before).equals(withoutProof(after));
  }

  private static JsonNode withoutProof(JsonNode template) {
    JsonNode copy = template.deepCopy();
    JsonNode annotations = copy.at("/metadata/annotations");
    if (annotations instanceof ObjectNode node) {
      node.remove(DelegationProof.ANNOTATION);
    }
    return copy;
  }

  private static Map<String, String> annotations(JsonNode template) {
    Map<String, String> annotations = new LinkedHashMap<>();
    JsonNode node = template.at("/metadata/annotations");
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(field -> annotations.put(field.getKey(), field.getValue().asText()));
    }
    return annotations;
  }
}
