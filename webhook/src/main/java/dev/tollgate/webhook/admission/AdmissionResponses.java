package dev.tollgate.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The three answers a webhook gives: allow untouched, allow with a JSON Patch, refuse. */
public final class AdmissionResponses {

  private AdmissionResponses() {}

  public static AdmissionResponse allow(AdmissionRequest request) {
    return new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true).build();
  }

  /** Allows with a JSON Patch (RFC 6902); an empty patch is a plain allow. */
  public static AdmissionResponse patch(AdmissionRequest request, JsonNode jsonPatch) {
    if (jsonPatch == null || jsonPatch.isEmpty()) {
      return allow(request);
    }
    return new AdmissionResponseBuilder()
        .withUid(request.getUid())
        .withAllowed(true)
        .withPatchType("JSONPatch")
        .withPatch(
            Base64.getEncoder()
                .encodeToString(jsonPatch.toString().getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  /** Allows with a JSON Patch and warnings that kubectl prints to whoever made the request. */
  public static AdmissionResponse patch(
      AdmissionRequest request, JsonNode jsonPatch, List<String> warnings) {
    AdmissionResponse response = patch(request, jsonPatch);
    response.setWarnings(List.copyOf(warnings));
    return response;
  }

  /**
   * Refuses with the message kubectl shows the user, and HTTP-like code (403 forbidden, 400
   * invalid).
   */
  public static AdmissionResponse deny(AdmissionRequest request, int code, String message) {
    return new AdmissionResponseBuilder()
        .withUid(request.getUid())
        .withAllowed(false)
        .withStatus(
            new StatusBuilder()
                .withCode(code)
                .withMessage(message)
                .withReason(code == 403 ? "Forbidden" : "Invalid")
                .build())
        .build();
  }
}
