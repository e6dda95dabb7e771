package dev.tollgate.webhook;

import dev.tollgate.webhook.admission.AdmissionRouter;
import dev.tollgate.webhook.delegation.DelegationCheck;
import dev.tollgate.webhook.delegation.SigningKeyRing;
import dev.tollgate.webhook.http.AdmissionHttpHandler;
import dev.tollgate.webhook.injection.StaticClusterState;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Replays a pod CREATE review through the admission path, in process, before the webhook takes
 * traffic. Interpreted code made the first minutes' answers slow (p99 5.5 ms at 200/s just after
 * start, 1.8 ms once compiled), and the API server waits on every pod create meanwhile.
 */
public final class AdmissionWarmup {

  private static final Logger LOG = Logger.getLogger(AdmissionWarmup.class.getName());

  private AdmissionWarmup() {}

  /**
   * Runs the injection path {@code rounds} times against a built-in identity and pod (nothing
   * leaves the process), or until {@code budget} is spent.
   *
   * @return the rounds done and how the first review was answered ("patched" when all is well)
   */
  public static Result run(
      WebhookConfig config, boolean nativeSidecars, int rounds, Duration budget) {
    AdmissionRouter router =
        WebhookMain.router(
            config, clusterState(), nativeSidecars, Clock.systemUTC(), offlineDelegation());
    AdmissionHttpHandler handler =
        new AdmissionHttpHandler(router, new KubernetesSerialization(), (p, o, n) -> {});
    byte[] review = podReview().getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    int done = 0;
    String first = null;
    while (done < rounds && System.nanoTime() < deadline) {
      AdmissionHttpHandler.Answer answer =
          handler.answer(AdmissionRouter.MUTATE_PODS, "POST", review);
      if (done == 0) {
        first = answer.outcome();
      }
      if (done == 0 && !"patched".equals(answer.outcome())) {
        // Not fatal (it is only warm-up), but the built-in review should inject: say so.
        LOG.warning(
            "warm-up review was not injected (" + answer.status() + " " + answer.outcome() + ")");
      }
      done++;
    }
    LOG.info(
        "warmed up the admission path with "
            + done
            + " reviews in "
            + Duration.ofNanos(System.nanoTime() - start).toMillis()
            + " ms");
    return new Result(done, first);
  }

  /**
   * A delegation check that leaves the process for nothing: nobody may impersonate anyone, and a
   * key of its own signs (the built-in pod claims nobody, so neither is used on its path).
   */
  public static DelegationCheck offlineDelegation() {
    SigningKeyRing keys = SigningKeyRing.generate("offline");
    return new DelegationCheck((requester, resource, name) -> false, () -> keys);
  }

  /** What the warm-up did. */
  public record Result(int rounds, String firstOutcome) {}

  /** The built-in cluster objects (one identity selecting the built-in pod, its scopes). */
  public static StaticClusterState clusterState() {
    return new StaticClusterState(resource("warmup/cluster.yaml"));
  }

  /** The built-in pod CREATE AdmissionReview. */
  public static String podReview() {
    return resource("warmup/pod-create-review.json");
  }

  private static String resource(String name) {
    try (InputStream in = AdmissionWarmup.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the webhook jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
