package dev.tollgate.webhook.delegation;

import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * {@link AccessReview} by SubjectAccessReview, with the requester exactly as the API server
 * authenticated it (name, uid, groups, extra), so the answer is the one impersonating would get.
 */
public final class SubjectAccessReviews implements AccessReview {

  private final KubernetesClient client;

  public SubjectAccessReviews(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public boolean mayImpersonate(UserInfo requester, String resource, String name) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(requester.getUsername())
            .withUid(requester.getUid())
            .withGroups(requester.getGroups() == null ? List.of() : requester.getGroups())
            .withExtra(requester.getExtra() == null ? Map.of() : requester.getExtra())
            .withNewResourceAttributes()
            .withVerb("impersonate")
            .withResource(resource)
            .withName(name)
            .endResourceAttributes()
            .endSpec()
            .build();
    SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
    return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }
}
