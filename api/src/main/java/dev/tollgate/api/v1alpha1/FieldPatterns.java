package dev.tollgate.api.v1alpha1;

import dev.tollgate.engine.model.FieldRules;

/**
 * Regular expressions that the CRD schemas enforce. Those the engine checks again (for the CLI and
 * the webhook, which see objects that never reach an API server) are defined once, in {@link
 * FieldRules}; the annotations need them as constants of this class.
 */
public final class FieldPatterns {

  public static final String PRINCIPAL = FieldRules.PRINCIPAL;

  public static final String TOOL_PATTERN = FieldRules.TOOL_PATTERN;

  public static final String MCP_SERVER_NAME = FieldRules.MCP_SERVER_NAME;

  public static final String HTTP_URL = FieldRules.HTTP_URL;

  public static final String RULE_NAME = FieldRules.RULE_NAME;

  public static final String GIT_REMOTE_NAME = FieldRules.GIT_REMOTE_NAME;

  public static final String GIT_HTTPS_URL = FieldRules.GIT_HTTPS_URL;

  /** Only the API server checks it: the sidecar computes the digest it then compares. */
  public static final String SHA256_HEX = "^[0-9a-f]{64}$";

  private FieldPatterns() {}
}
