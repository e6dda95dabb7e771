package dev.tollgate.webhook.delegation;

import io.fabric8.kubernetes.api.model.authentication.UserInfo;

/** Kubernetes' answer to "may this user impersonate that one": the model delegation rests on. */
public interface AccessReview {

  /**
   * Whether {@code requester} may {@code impersonate} the {@code resource} ({@code users} or {@code
   * groups}) named {@code name}.
   *
   * @throws RuntimeException when the API server cannot answer (callers refuse)
   */
  boolean mayImpersonate(UserInfo requester, String resource, String name);
}
