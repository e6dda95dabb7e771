package dev.tollgate.webhook.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * TLS from a mounted key pair ({@code tls.crt}, {@code tls.key}), as cert-manager's Secret appears
 * in the pod; the CA bundle is then cert-manager's cainjector's business.
 *
 * <p>The kubelet replaces a Secret volume's files some time after the Secret changes, by swapping a
 * symlink; the files are re-read every check interval and served when their content changed. A pair
 * read halfway through a replacement does not match and is retried at the next check.
 */
public final class FileTls implements WebhookTls {

  public static final String CERTIFICATE_FILE = "tls.crt";
  public static final String KEY_FILE = "tls.key";
  private static final Logger LOG = Logger.getLogger(FileTls.class.getName());

  private record Contents(byte[] certificate, byte[] key) {
    boolean sameAs(Contents other) {
      return other != null
          && Arrays.equals(certificate, other.certificate)
          && Arrays.equals(key, other.key);
    }
  }

  private final Path directory;
  private final Duration checkInterval;
  private ReloadingKeyManager keyManager;
  private Contents loaded;
  private Contents rejected;
  private PeriodicTask task;

  public FileTls(Path directory, Duration checkInterval) {
    this.directory = directory;
    this.checkInterval = checkInterval;
  }

  @Override
  public synchronized SSLContext start() {
    if (task != null) {
      throw new IllegalStateException("already started");
    }
    Contents contents = read();
    keyManager = new ReloadingKeyManager(parse(contents));
    loaded = contents;
    task = new PeriodicTask("tollgate-webhook-tls-files", checkInterval, this::check);
    LOG.info(
        "serving the certificate in "
            + directory
            + " (serial "
            + keyManager.current().serialNumber().toString(16)
            + "); checking for a new one every "
            + checkInterval);
    return ServerSslContextFactory.create(keyManager);
  }

  /** Serves the files' key pair if it changed and is usable. */
  synchronized void check() {
    Contents contents = read();
    if (contents.sameAs(loaded) || contents.sameAs(rejected)) {
      return;
    }
    ServingCertificate next;
    try {
      next = parse(contents);
    } catch (IllegalArgumentException e) {
      rejected = contents;
      LOG.warning("not serving the new files in " + directory + " yet: " + e.getMessage());
      return;
    }
    keyManager.swap(next);
    loaded = contents;
    rejected = null;
    LOG.info(
        "now serving the certificate in "
            + directory
            + " with serial "
            + next.serialNumber().toString(16)
            + ", valid until "
            + next.certificate().getNotAfter());
  }

  @Override
  public synchronized ServingCertificate current() {
    if (keyManager == null) {
      throw new IllegalStateException("not started");
    }
    return keyManager.current();
  }

  @Override
  public void close() {
    PeriodicTask running;
    synchronized (this) {
      running = task;
      task = null;
    }
    // Outside the lock: a check in progress needs it to finish.
    if (running != null) {
      running.close();
    }
  }

  private Contents read() {
    try {
      return new Contents(
          Files.readAllBytes(directory.resolve(CERTIFICATE_FILE)),
          Files.readAllBytes(directory.resolve(KEY_FILE)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the key pair in " + directory, e);
    }
  }

  private static ServingCertificate parse(Contents contents) {
    return new ServingCertificate(
        Pem.decodePrivateKey(new String(contents.key(), StandardCharsets.US_ASCII)),
        Pem.decodeCertificates(new String(contents.certificate(), StandardCharsets.US_ASCII)));
  }
}
