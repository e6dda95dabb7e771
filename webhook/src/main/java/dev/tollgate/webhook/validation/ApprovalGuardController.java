package dev.tollgate.webhook.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.api.ApprovalMarks;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalSpec;
import dev.tollgate.engine.model.PrincipalList;
import dev.tollgate.webhook.admission.AdmissionController;
import dev.tollgate.webhook.admission.AdmissionResponses;
import dev.tollgate.webhook.injection.ClusterState;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Guards ToolCallApprovals. Nobody creates one already decided; only an authenticated user who
 * matches the approval's {@code approvers} (by name or group) decides it, never the identity's own
 * service account (an agent must not approve its own calls), never after it expired, and only once.
 * {@code decidedBy} is stamped from the request's user, whatever the client sent: that is why this
 * is a mutating webhook.
 */
public final class ApprovalGuardController implements AdmissionController {

  private static final String CONSUMED_BY = ApprovalMarks.CONSUMED_BY;

  private final ClusterState cluster;
  private final Clock clock;

  public ApprovalGuardController(ClusterState cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  @Override
  public AdmissionResponse admit(AdmissionRequest request) {
    if (!"ToolCallApproval".equals(request.getKind() == null ? null : request.getKind().getKind())
        || !(request.getObject() instanceof ToolCallApproval approval)
        || approval.getSpec() == null) {
      return AdmissionResponses.allow(request);
    }
    ToolCallApprovalSpec spec = approval.getSpec();
    if ("CREATE".equals(request.getOperation())) {
      return spec.getDecision() == null && spec.getDecidedBy() == null
          ? AdmissionResponses.allow(request)
          : AdmissionResponses.deny(
              request,
              403,
              "a ToolCallApproval is created undecided; a human decides it afterwards");
    }
    if (!"UPDATE".equals(request.getOperation())
        || !(request.getOldObject() instanceof ToolCallApproval old)) {
      return AdmissionResponses.allow(request);
    }
    String usedBefore = annotation(old, CONSUMED_BY);
    if (usedBefore != null && !usedBefore.equals(annotation(approval, CONSUMED_BY))) {
      // The sidecar marks an approval used so it allows one call; unmarking would allow a second.
      return AdmissionResponses.deny(
          request,
          403,
          "ToolCallApproval "
              + name(approval)
              + " was used by call "
              + usedBefore
              + "; the "
              + CONSUMED_BY
              + " annotation cannot be removed or changed");
    }
    ToolCallApprovalSpec before =
        old.getSpec() == null ? new ToolCallApprovalSpec() : old.getSpec();
    if (before.getDecision() != null) {
      boolean unchanged =
          Objects.equals(before.getDecision(), spec.getDecision())
              && Objects.equals(before.getDecidedBy(), spec.getDecidedBy())
              && Objects.equals(before.getReason(), spec.getReason());
      return unchanged
          ? AdmissionResponses.allow(request)
          : AdmissionResponses.deny(
              request,
              403,
              "ToolCallApproval "
                  + name(approval)
                  + " was already decided ("
                  + before.getDecision()
                  + " by "
                  + before.getDecidedBy()
                  + "); a decision cannot change");
    }
    if (spec.getDecision() == null) {
      return spec.getDecidedBy() == null
          ? AdmissionResponses.allow(request)
          : AdmissionResponses.deny(
              request,
              403,
              "decidedBy is stamped by Tollgate when a decision is made; it cannot be set alone");
    }
    Optional<String> refusal = refusal(approval, request.getUserInfo());
    if (refusal.isPresent()) {
      return AdmissionResponses.deny(request, 403, refusal.get());
    }
    JsonNode patch =
        JsonNodeFactory.instance
            .arrayNode()
            .add(
                JsonNodeFactory.instance
                    .objectNode()
                    .put("op", spec.getDecidedBy() == null ? "add" : "replace")
                    .put("path", "/spec/decidedBy")
                    .put("value", request.getUserInfo().getUsername()));
    return AdmissionResponses.patch(request, patch);
  }

  private Optional<String> refusal(ToolCallApproval approval, UserInfo user) {
    String who = user == null ? null : user.getUsername();
    if (who == null || who.isBlank()) {
      return Optional.of("deciding a ToolCallApproval needs an authenticated user");
    }
    String namespace = approval.getMetadata().getNamespace();
    String identityName = approval.getSpec().getIdentity();
    if (identityName != null && identityName.contains("/")) {
      identityName = identityName.substring(identityName.indexOf('/') + 1);
    }
    String finalName = identityName;
    Optional<AgentIdentity> identity =
        cluster.identities(namespace).stream()
            .filter(i -> i.getMetadata().getName().equals(finalName))
            .findFirst();
    String agentAccount =
        "system:serviceaccount:"
            + namespace
            + ":"
            + identity.map(i -> i.getSpec().getServiceAccountName()).orElse("");
    if (identity.isPresent() && who.equals(agentAccount)) {
      return Optional.of(
          "the agent's own service account (" + who + ") may not decide its approvals");
    }
    List<String> approvers =
        approval.getSpec().getApprovers() == null ? List.of() : approval.getSpec().getApprovers();
    List<String> groups = user.getGroups() == null ? List.of() : user.getGroups();
    if (!new PrincipalList(approvers).names(who, groups)) {
      return Optional.of(
          who
              + " is not an approver of ToolCallApproval "
              + name(approval)
              + " (approvers: "
              + (approvers.isEmpty() ? "none" : String.join(", ", approvers))
              + ")");
    }
    try {
      if (!OffsetDateTime.parse(approval.getSpec().getExpiresAt())
          .toInstant()
          .isAfter(clock.instant())) {
        return Optional.of(
            "ToolCallApproval "
                + name(approval)
                + " expired at "
                + approval.getSpec().getExpiresAt());
      }
    } catch (DateTimeParseException | NullPointerException e) {
      return Optional.of(
          "ToolCallApproval " + name(approval) + " has no valid expiresAt; it cannot be decided");
    }
    return Optional.empty();
  }

  private static String annotation(ToolCallApproval approval, String key) {
    return approval.getMetadata() == null || approval.getMetadata().getAnnotations() == null
        ? null
        : approval.getMetadata().getAnnotations().get(key);
  }

  private static String name(ToolCallApproval approval) {
    return approval.getMetadata().getNamespace() + "/" + approval.getMetadata().getName();
  }
}
