package dev.tollgate.webhook.admission;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Which controller answers which webhook path. */
public final class AdmissionRouter {

  public static final String MUTATE_PODS = "/mutate/pods";
  public static final String MUTATE_WORKLOADS = "/mutate/workloads";
  public static final String VALIDATE_PODS = "/validate/pods";
  public static final String VALIDATE_POLICIES = "/validate/policies";
  public static final String MUTATE_APPROVALS = "/mutate/approvals";

  private final Map<String, AdmissionController> controllers;

  public AdmissionRouter(Map<String, AdmissionController> controllers) {
    this.controllers = Map.copyOf(controllers);
  }

  public Set<String> paths() {
    return controllers.keySet();
  }

  public Optional<AdmissionResponse> route(String path, AdmissionRequest request) {
    AdmissionController controller = controllers.get(path);
    return controller == null ? Optional.empty() : Optional.of(controller.admit(request));
  }
}
