package dev.tollgate.webhook.tls;

import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/** Server {@link SSLContext}s whose certificate comes from a {@link ReloadingKeyManager}. */
public final class ServerSslContextFactory {

  private ServerSslContextFactory() {}

  /**
   * A TLS context presenting whatever the key manager holds at each handshake. No trust managers:
   * the API server is not asked for a client certificate.
   */
  public static SSLContext create(ReloadingKeyManager keyManager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keyManager}, null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS implementation", e);
    }
  }
}
