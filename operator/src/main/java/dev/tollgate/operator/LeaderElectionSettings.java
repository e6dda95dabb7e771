package dev.tollgate.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;

/**
 * How a replica takes and keeps the lease, beyond its name and namespace.
 *
 * @param leaseDuration how long a lease holds without renewal; a follower takes over this long
 *     after the leader stops renewing (JOSDK does not release the lease on stop)
 * @param renewDeadline how long the leader keeps retrying a renewal before it gives up leading
 * @param retryPeriod how often followers try to acquire and the leader renews
 * @param exitOnStopLeading whether the JVM exits when this replica loses the lease while running
 *     (never when it is being closed)
 */
public record LeaderElectionSettings(
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    boolean exitOnStopLeading) {

  /**
   * JOSDK's timings, and exit on losing the lease: a replica that lost it cannot know whether its
   * in-flight reconciles race the new leader's, so it exits and the kubelet restarts it as a
   * follower. Only an embedding that stops the operator on purpose (a test JVM) turns exit off.
   */
  public static final LeaderElectionSettings DEFAULT =
      new LeaderElectionSettings(
          LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
          LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
          LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
          true);

  public LeaderElectionSettings {
    if (!(leaseDuration.compareTo(renewDeadline) > 0 && renewDeadline.compareTo(retryPeriod) > 0)) {
      throw new IllegalArgumentException(
          "leader election needs leaseDuration > renewDeadline > retryPeriod, got "
              + leaseDuration
              + ", "
              + renewDeadline
              + ", "
              + retryPeriod);
    }
  }
}
