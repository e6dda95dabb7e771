package dev.tollgate.sidecar.gate.egress;

/**
 * What the egress gate counts, for the sidecar's metrics. Reasons are reason codes (the {@code
 * X-Tollgate-Reason} codes, the decision's first reason, or a fixed set of the gate's own), never a
 * host or an address, so an agent cannot grow the series count by inventing destinations.
 */
public interface EgressMeter {

  /** How the set-up of one connection ended. */
  enum Outcome {
    /** Handed to the relay. */
    ALLOWED("allowed"),
    /** Refused by a decision, a malformed request or the TLS check. */
    DENIED("denied"),
    /** Allowed, but it could not be opened (resolve, connect, busy, agent gone). */
    FAILED("failed");

    public final String wireName;

    Outcome(String wireName) {
      this.wireName = wireName;
    }
  }

  /** Gate's own reason codes (the decisions' codes are {@code Reason} names). */
  final class Reasons {
    public static final String BAD_REQUEST = "BadRequest";
    public static final String REQUEST_TIMEOUT = "RequestTimeout";
    public static final String SNI_MISMATCH = "SniMismatch";
    public static final String NOT_TLS = "NotTls";
    public static final String NAME_NOT_RESOLVED = "NameNotResolved";
    public static final String CONNECT_FAILED = "ConnectFailed";
    public static final String CONNECT_TIMEOUT = "ConnectTimeout";
    public static final String BUSY = "Busy";
    public static final String AGENT_GONE = "AgentGone";

    private Reasons() {}
  }

  /** One connection's set-up ended so; called exactly once per accepted connection. */
  void connection(Outcome outcome, String reason);

  void tunnelOpened();

  void tunnelClosed();

  /** Bytes written to the destination. */
  void relayedUpstream(long bytes);

  /** Bytes written to the agent. */
  void relayedDownstream(long bytes);
}
