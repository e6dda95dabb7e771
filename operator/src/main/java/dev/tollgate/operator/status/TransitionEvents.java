package dev.tollgate.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kubernetes Events for condition transitions (never for a reconcile that changed nothing), on
 * the object whose condition moved. Best effort: a failure is logged, not retried.
 */
public final class TransitionEvents {

  private static final Logger LOG = Logger.getLogger(TransitionEvents.class.getName());
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final int MAX_NOTE_BYTES = 1_024;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public TransitionEvents(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  public void publish(HasMetadata object, List<Condition> before, List<Condition> after) {
    for (Condition condition : Conditions.transitions(before, after)) {
      Event event = event(object, condition);
      try {
        client.resource(event).create();
      } catch (KubernetesClientException e) {
        LOG.log(Level.WARNING, "could not record event " + condition.getReason() + " on " + object.getKind() + "/"
            + object.getMetadata().getName() + ": " + e.getMessage());
      }
    }
  }

  Event event(HasMetadata object, Condition condition) {
    return new EventBuilder()
        .withNewMetadata()
          .withGenerateName(object.getMetadata().getName() + ".")
          .withNamespace(object.getMetadata().getNamespace())
        .endMetadata()
        .withRegarding(new ObjectReferenceBuilder()
            .withApiVersion(object.getApiVersion())
            .withKind(object.getKind())
            .withName(object.getMetadata().getName())
            .withNamespace(object.getMetadata().getNamespace())
            .withUid(object.getMetadata().getUid())
            .build())
        .withReason(condition.getReason())
        .withAction(condition.getType())
        .withType("True".equals(condition.getStatus()) ? "Normal" : "Warning")
        .withNote(truncate(condition.getType() + " is " + condition.getStatus() + ": " + condition.getMessage()))
        .withEventTime(new MicroTime(MICRO_TIME.format(clock.instant())))
        .withReportingController("tollgate.dev/operator")
        .withReportingInstance(instance)
        .build();
  }

  private static String truncate(String note) {
    byte[] bytes = note.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_NOTE_BYTES) {
      return note;
    }
    // Cut on a character boundary: drop a trailing partial UTF-8 sequence.
    int end = MAX_NOTE_BYTES - 3;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8) + "…";
  }
}
