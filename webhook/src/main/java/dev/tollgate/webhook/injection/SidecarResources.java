package dev.tollgate.webhook.injection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decision point's CPU and memory: the cluster's defaults, which a pod's annotations may change
 * for that pod alone up to the cluster's caps.
 *
 * <p>Why resources and nothing else: whoever writes the pod is the agent's owner, whom the decision
 * point holds in check. More or less CPU and memory for the decision point only changes how fast it
 * answers (the caps keep it from claiming a node); a decision point starved of memory stops, and
 * then the agent's calls are refused, not let through. JVM flags, the image or the environment
 * would let that owner run code in the decision point or change what it decides, so the annotations
 * that would ask for them are refused.
 */
public record SidecarResources(
    String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {

  /** What a pod may change, annotation by annotation, and the cap of each. */
  private enum Knob {
    CPU_REQUEST(PodAnnotations.SIDECAR_CPU_REQUEST, "cpu", "250m"),
    CPU_LIMIT(PodAnnotations.SIDECAR_CPU_LIMIT, "cpu", "1"),
    MEMORY_REQUEST(PodAnnotations.SIDECAR_MEMORY_REQUEST, "memory", "128Mi"),
    MEMORY_LIMIT(PodAnnotations.SIDECAR_MEMORY_LIMIT, "memory", "256Mi");

    final String annotation;
    final String resource;
    final String example;

    Knob(String annotation, String resource, String example) {
      this.annotation = annotation;
      this.resource = resource;
      this.example = example;
    }
  }

  /**
   * The resources for a pod with these annotations, or why the pod is refused: an annotation of
   * Tollgate's sidecar prefix it does not honour, a value that is no quantity, zero, above the
   * cluster's cap ({@code maxCpu}, {@code maxMemory}), or a request above its limit.
   */
  public Resolution forPod(Map<String, String> annotations, String maxCpu, String maxMemory) {
    Map<String, String> asked = new LinkedHashMap<>();
    for (Map.Entry<String, String> annotation : sorted(annotations)) {
      String key = annotation.getKey();
      if (!key.startsWith(PodAnnotations.SIDECAR_PREFIX)) {
        continue;
      }
      if (key.equals(PodAnnotations.SIDECAR_JVM_OPTIONS)) {
        return Resolution.refused(
            "annotation "
                + key
                + " is refused: the decision point's JVM flags are the cluster's (webhook"
                + " --sidecar-jvm-options, chart value sidecar.jvmOptions), because a flag such as"
                + " -javaagent would run code of the pod's author inside its decision point");
      }
      Optional<Knob> knob = knob(key);
      if (knob.isEmpty()) {
        return Resolution.refused(
            "annotation "
                + key
                + " is not one Tollgate reads; a pod may set only "
                + String.join(", ", knobNames()));
      }
      asked.put(key, annotation.getValue() == null ? "" : annotation.getValue().strip());
    }
    for (Map.Entry<String, String> entry : asked.entrySet()) {
      Knob knob = knob(entry.getKey()).orElseThrow();
      String value = entry.getValue();
      String cap = knob.resource.equals("cpu") ? maxCpu : maxMemory;
      if (!ResourceQuantity.isValid(value)) {
        return Resolution.refused(
            "annotation "
                + knob.annotation
                + " must be a Kubernetes quantity such as "
                + knob.example
                + ", got '"
                + value
                + "'");
      }
      if (ResourceQuantity.amount(value).orElseThrow().signum() == 0) {
        return Resolution.refused("annotation " + knob.annotation + " must be above zero");
      }
      if (ResourceQuantity.exceeds(value, cap)) {
        return Resolution.refused(
            "annotation "
                + knob.annotation
                + " asks "
                + value
                + ", above the "
                + cap
                + " of "
                + knob.resource
                + " this cluster allows the decision point of one pod (webhook --sidecar-max-"
                + knob.resource
                + ", chart value sidecar.resourceOverrides.max"
                + (knob.resource.equals("cpu") ? "Cpu" : "Memory")
                + ")");
      }
    }
    SidecarResources chosen =
        new SidecarResources(
            asked.getOrDefault(PodAnnotations.SIDECAR_CPU_REQUEST, cpuRequest),
            asked.getOrDefault(PodAnnotations.SIDECAR_MEMORY_REQUEST, memoryRequest),
            asked.getOrDefault(PodAnnotations.SIDECAR_CPU_LIMIT, cpuLimit),
            asked.getOrDefault(PodAnnotations.SIDECAR_MEMORY_LIMIT, memoryLimit));
    Optional<String> inverted =
        inverted(
                asked,
                "cpu",
                PodAnnotations.SIDECAR_CPU_REQUEST,
                chosen.cpuRequest,
                PodAnnotations.SIDECAR_CPU_LIMIT,
                chosen.cpuLimit)
            .or(
                () ->
                    inverted(
                        asked,
                        "memory",
                        PodAnnotations.SIDECAR_MEMORY_REQUEST,
                        chosen.memoryRequest,
                        PodAnnotations.SIDECAR_MEMORY_LIMIT,
                        chosen.memoryLimit));
    return inverted.isPresent() ? Resolution.refused(inverted.get()) : Resolution.of(chosen);
  }

  /**
   * A request above its limit, blamed on the annotation that caused it (the request's when the pod
   * set it, else the limit's).
   */
  private static Optional<String> inverted(
      Map<String, String> asked,
      String resource,
      String requestAnnotation,
      String request,
      String limitAnnotation,
      String limit) {
    if (!ResourceQuantity.exceeds(request, limit)) {
      return Optional.empty();
    }
    return Optional.of(
        asked.containsKey(requestAnnotation)
            ? "annotation "
                + requestAnnotation
                + " asks "
                + request
                + ", above the decision point's "
                + resource
                + " limit "
                + limit
                + ": set "
                + limitAnnotation
                + " too"
            : "annotation "
                + limitAnnotation
                + " asks "
                + limit
                + ", below the decision point's "
                + resource
                + " request "
                + request
                + ": set "
                + requestAnnotation
                + " too");
  }

  /** The resources of one pod, or why the pod is refused. */
  public record Resolution(Optional<SidecarResources> resources, Optional<String> refusal) {
    static Resolution of(SidecarResources resources) {
      return new Resolution(Optional.of(resources), Optional.empty());
    }

    static Resolution refused(String why) {
      return new Resolution(Optional.empty(), Optional.of(why));
    }
  }

  private static Optional<Knob> knob(String annotation) {
    for (Knob knob : Knob.values()) {
      if (knob.annotation.equals(annotation)) {
        return Optional.of(knob);
      }
    }
    return Optional.empty();
  }

  private static List<String> knobNames() {
    List<String> names = new ArrayList<>();
    for (Knob knob : Knob.values()) {
      names.add(knob.annotation);
    }
    return names;
  }

  /** In name order, so the first problem reported does not depend on the map's order. */
  private static List<Map.Entry<String, String>> sorted(Map<String, String> annotations) {
    return annotations == null
        ? List.of()
        : annotations.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
  }
}
