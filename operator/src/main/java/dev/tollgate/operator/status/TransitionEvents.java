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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kubernetes Events for condition transitions (never for a reconcile that changed nothing), on the
 * object whose condition moved. Best effort: a failure is logged, not retried.
 *
 * <p>A reconcile may read its object from the informer cache before the previous status patch has
 * arrived there, and would then see the same transition twice. So the last state published for each
 * object is remembered here (bounded), and the cached status is only the fallback for objects this
 * process has not published for yet, such as after a leader change.
 */
public final class TransitionEvents {

  private static final Logger LOG = Logger.getLogger(TransitionEvents.class.getName());
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final int MAX_NOTE_BYTES = 1_024;
  // Event names are DNS subdomains (253 characters), and the API server adds 5 to a generateName.
  private static final int MAX_PREFIX = 253 - 5;
  private static final String EVENT_NAME_SUFFIX = ".tollgate-";

  private static final int MEMORY_LIMIT = 10_000;
  // Conditions that report a problem when True (Accepted and Ready report one when False).
  private static final Set<String> TRUE_IS_BAD = Set.of("Expired");
  // kstatus's conditions repeat what Ready's event already says, with the same reason.
  private static final Set<String> NO_EVENTS = Set.of(Conditions.RECONCILING, Conditions.STALLED);

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final Map<String, Map<String, String>> published =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> eldest) {
              return size() > MEMORY_LIMIT;
            }
          });

  public TransitionEvents(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  public void publish(HasMetadata object, List<Condition> before, List<Condition> after) {
    String key =
        object.getKind()
            + "/"
            + object.getMetadata().getNamespace()
            + "/"
            + object.getMetadata().getName()
            + "/"
            + object.getMetadata().getUid();
    Map<String, String> last = published.computeIfAbsent(key, k -> new HashMap<>());
    for (Condition condition : after) {
      if (NO_EVENTS.contains(condition.getType())) {
        continue;
      }
      String state = condition.getStatus() + "/" + condition.getReason();
      String previous =
          last.containsKey(condition.getType())
              ? last.get(condition.getType())
              : Conditions.find(before == null ? List.of() : before, condition.getType())
                  .map(old -> old.getStatus() + "/" + old.getReason())
                  .orElse(null);
      last.put(condition.getType(), state);
      if (state.equals(previous)) {
        continue;
      }
      Event event = event(object, condition);
      try {
        client.resource(event).create();
      } catch (KubernetesClientException e) {
        LOG.log(
            Level.WARNING,
            "could not record event "
                + condition.getReason()
                + " on "
                + object.getKind()
                + "/"
                + object.getMetadata().getName()
                + ": "
                + e.getMessage());
      }
    }
  }

  // A generateName must itself be a valid name prefix: the API server refuses one that ends with a
  // dot (only a trailing dash is allowed), which the mock server does not check. It appends 5
  // characters.
  static String namePrefix(String objectName) {
    String prefix =
        objectName.length() > MAX_PREFIX - EVENT_NAME_SUFFIX.length()
            ? objectName.substring(0, MAX_PREFIX - EVENT_NAME_SUFFIX.length())
            : objectName;
    return prefix + EVENT_NAME_SUFFIX;
  }

  Event event(HasMetadata object, Condition condition) {
    return new EventBuilder()
        .withNewMetadata()
        .withGenerateName(namePrefix(object.getMetadata().getName()))
        .withNamespace(object.getMetadata().getNamespace())
        .endMetadata()
        .withRegarding(
            new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withName(object.getMetadata().getName())
                .withNamespace(object.getMetadata().getNamespace())
                .withUid(object.getMetadata().getUid())
                .build())
        .withReason(condition.getReason())
        .withAction(condition.getType())
        .withType(
            "True".equals(condition.getStatus()) == TRUE_IS_BAD.contains(condition.getType())
                ? "Warning"
                : "Normal")
        .withNote(
            truncate(
                condition.getType()
                    + " is "
                    + condition.getStatus()
                    + ": "
                    + condition.getMessage()))
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
