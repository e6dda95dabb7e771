package dev.tollgate.sidecar.gate.git;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.sidecar.tls.PemTrust;
import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * The TLS trust of the sidecar's connections to an upstream: a remote with a {@code caBundle}
 * trusts those CAs and nothing else, the others the JDK's default roots. Host names are verified
 * either way. Set per JGit transport and per request of the gateway's own, so one remote's CA never
 * vouches for another remote's host.
 */
final class UpstreamTls {

  private static final JDKHttpConnectionFactory JDK = new JDKHttpConnectionFactory();

  /** Parsed trust managers by PEM text: bundles are re-read only when a bundle changes them. */
  private final Map<String, TrustManager[]> trustByPem = new ConcurrentHashMap<>();

  private final Map<String, SSLSocketFactory> socketsByPem = new ConcurrentHashMap<>();

  /**
   * What to do to each transport to the remote: give an HTTP(S) one the remote's trust (nothing for
   * a remote without a caBundle).
   *
   * @throws UpstreamGitException naming the remote when its caBundle cannot serve as trust roots
   */
  Consumer<Transport> forRemote(Bundle.GitRemote remote) throws UpstreamGitException {
    TrustManager[] trust = trust(remote);
    if (trust == null) {
      return transport -> {};
    }
    PinnedConnections connections = new PinnedConnections(trust);
    return transport -> {
      if (transport instanceof TransportHttp http) {
        http.setHttpConnectionFactory(connections);
      }
    };
  }

  /**
   * The same trust for the gateway's own HTTPS requests to the remote ({@link
   * UpstreamReceivePack}): a socket factory trusting the remote's caBundle only, or null for a
   * remote without one (the JDK's default roots).
   */
  SSLSocketFactory socketFactory(Bundle.GitRemote remote) throws UpstreamGitException {
    TrustManager[] trust = trust(remote);
    if (trust == null) {
      return null;
    }
    return socketsByPem.computeIfAbsent(
        remote.caBundle(),
        pem -> {
          try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return context.getSocketFactory();
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is always available", e);
          }
        });
  }

  /** The remote's trust managers; null for a remote without a caBundle. */
  private TrustManager[] trust(Bundle.GitRemote remote) throws UpstreamGitException {
    if (remote.caBundle() == null) {
      return null;
    }
    try {
      return trustByPem.computeIfAbsent(remote.caBundle(), UpstreamTls::trustManagers);
    } catch (IllegalArgumentException e) {
      throw new UpstreamGitException(
          "the caBundle of remote " + remote.name() + " cannot be used: " + e.getMessage(), e);
    }
  }

  private static TrustManager[] trustManagers(String pem) {
    try {
      return PemTrust.trustManagers(pem);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** JGit's JDK connections, with the remote's trust managers on every https one. */
  private record PinnedConnections(TrustManager[] trust) implements HttpConnectionFactory {

    @Override
    public HttpConnection create(URL url) throws IOException {
      return pin(url, JDK.create(url));
    }

    @Override
    public HttpConnection create(URL url, Proxy proxy) throws IOException {
      return pin(url, JDK.create(url, proxy));
    }

    private HttpConnection pin(URL url, HttpConnection connection) throws IOException {
      if ("https".equalsIgnoreCase(url.getProtocol())) {
        try {
          connection.configure(null, trust, null);
        } catch (GeneralSecurityException e) {
          throw new IOException("TLS setup for " + url.getHost() + " failed: " + e.getMessage(), e);
        }
      }
      return connection;
    }
  }
}
