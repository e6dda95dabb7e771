package dev.tollgate.webhook.admission;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;

/** One webhook's admission logic: a request in, a response out; no HTTP, no TLS. */
@FunctionalInterface
public interface AdmissionController {

  AdmissionResponse admit(AdmissionRequest request);
}
