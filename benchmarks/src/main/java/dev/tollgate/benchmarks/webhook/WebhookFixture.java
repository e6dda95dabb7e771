package dev.tollgate.benchmarks.webhook;

import dev.tollgate.webhook.AdmissionWarmup;
import dev.tollgate.webhook.injection.ClusterState;

/**
 * The pod-injection fixture the webhook itself warms up with (packaged in its jar, also used by its
 * tests): the cluster objects and the pod CREATE review, with the uid made a parameter.
 */
final class WebhookFixture {

  /** The uid of the packaged review; {@link #review(String)} replaces it. */
  static final String FIXTURE_UID = "705ab4f5-6393-11e8-b7cc-42010a800002";

  static final String REVIEW_JSON = AdmissionWarmup.podReview();

  private static final String BEFORE_UID =
      REVIEW_JSON.substring(0, REVIEW_JSON.indexOf(FIXTURE_UID));
  private static final String AFTER_UID =
      REVIEW_JSON.substring(REVIEW_JSON.indexOf(FIXTURE_UID) + FIXTURE_UID.length());

  private WebhookFixture() {}

  /** The pod CREATE review with another uid (the API server sends a new one per request). */
  static String review(String uid) {
    return BEFORE_UID + uid + AFTER_UID;
  }

  /** The cluster as the informers would hold it. */
  static ClusterState clusterState() {
    return AdmissionWarmup.clusterState();
  }
}
