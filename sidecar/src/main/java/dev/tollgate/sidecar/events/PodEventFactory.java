package dev.tollgate.sidecar.events;

import dev.tollgate.sidecar.audit.AuditEventType;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;

/** Turns a {@link Publication} into an {@code events.k8s.io/v1} Event about the agent's Pod. */
final class PodEventFactory {

  static final String REPORTING_CONTROLLER = "tollgate.dev/sidecar";
  static final String ACTION = "Authorize";
  static final Set<AuditEventType> PUBLISHED =
      EnumSet.of(
          AuditEventType.DENIED,
          AuditEventType.APPROVAL_REQUESTED,
          AuditEventType.APPROVED,
          AuditEventType.REJECTED);

  // Object names are DNS subdomains (253); the API server appends 5 characters to a generateName.
  private static final int MAX_NAME = 253 - 5;
  private static final int MAX_REPORTING_INSTANCE = 128;
  private static final String NAME_SUFFIX = ".tollgate-";
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  private final PodReference pod;

  PodEventFactory(PodReference pod) {
    this.pod = pod;
  }

  Event create(Publication publication, Instant fallbackTime) {
    AuditEventType type = publication.event().type();
    Instant time = publication.event().time() == null ? fallbackTime : publication.event().time();
    return new EventBuilder()
        .withNewMetadata()
        .withGenerateName(namePrefix())
        .withNamespace(pod.namespace())
        .endMetadata()
        .withRegarding(
            new ObjectReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(pod.name())
                .withNamespace(pod.namespace())
                .withUid(pod.uid().isEmpty() ? null : pod.uid())
                .build())
        .withReason(reason(type))
        .withAction(ACTION)
        .withType(warns(type) ? "Warning" : "Normal")
        .withNote(EventNote.of(publication))
        .withEventTime(new MicroTime(MICRO_TIME.format(time)))
        .withReportingController(REPORTING_CONTROLLER)
        .withReportingInstance(cut(pod.name(), MAX_REPORTING_INSTANCE))
        .build();
  }

  static String reason(AuditEventType type) {
    return switch (type) {
      case DENIED -> "ToolCallDenied";
      case APPROVAL_REQUESTED -> "ToolCallApprovalRequested";
      case APPROVED -> "ToolCallApproved";
      case REJECTED -> "ToolCallRejected";
      default -> throw new IllegalArgumentException("no Event for " + type.wireName());
    };
  }

  /** A call that did not run: a denial, or an approval a human refused. */
  private static boolean warns(AuditEventType type) {
    return type == AuditEventType.DENIED || type == AuditEventType.REJECTED;
  }

  private String namePrefix() {
    String prefix = cut(pod.name(), MAX_NAME - NAME_SUFFIX.length());
    // A cut can leave a '.' or '-' that would sit next to the suffix's '.': invalid in a name.
    while (!prefix.isEmpty() && !Character.isLetterOrDigit(prefix.charAt(prefix.length() - 1))) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return (prefix.isEmpty() ? "pod" : prefix) + NAME_SUFFIX;
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
