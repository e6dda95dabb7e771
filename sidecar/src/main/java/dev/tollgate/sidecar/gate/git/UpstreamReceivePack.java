package dev.tollgate.sidecar.gate.git;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PacketLineIn;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RemoteRefUpdate.Status;

/**
 * A push to the upstream in git's smart HTTP protocol, spoken here rather than by JGit's transport:
 * the pack the agent's push left in its quarantine goes upstream byte for byte. JGit's transport
 * would enumerate the pushed objects again and write a new pack of them, most of a large push's
 * time in the gateway, for the same objects.
 *
 * <p>What stays as with JGit's push: every command carries the old id it expects (the upstream's
 * receive-pack refuses a ref that is not at it: compare-and-swap), a ref already where the push
 * would put it is up to date and not sent, an atomic push asks the upstream for atomicity (refused
 * here when the upstream cannot give it), the credential goes only to the upstream's origin
 * (redirects are not followed), and every connect and read is bounded by the timeout.
 */
final class UpstreamReceivePack {

  static final String SERVICE = "git-receive-pack";

  /** One ref to move: the zero id as {@code oldId} creates it, as {@code newId} deletes it. */
  record Command(String ref, ObjectId oldId, ObjectId newId) {
    boolean isDelete() {
      return ObjectId.zeroId().equals(newId);
    }
  }

  /** The upstream's answer for one ref, in JGit's terms; the message says why when refused. */
  record Result(String ref, Status status, String message) {}

  /** A pack of no objects: its header (version 2, count 0) and the SHA-1 of it. */
  private static final byte[] EMPTY_PACK = emptyPack();

  private final String url;
  private final String authorization;
  private final SSLSocketFactory tls;
  private final int timeoutMs;

  /**
   * @param url the remote's URL, http or https
   * @param authorization the Authorization header's value, or null to send none
   * @param tls the remote's TLS trust for https, or null for the JDK's default
   */
  UpstreamReceivePack(String url, String authorization, SSLSocketFactory tls, Duration timeout) {
    this.url = url.replaceAll("/+$", "");
    this.authorization = authorization;
    this.tls = tls;
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
  }

  static boolean speaks(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /**
   * Pushes the commands with {@code pack}, the push's objects (null when it brought none, as a
   * delete), and returns the upstream's answer for each command, keyed by ref.
   */
  Map<String, Result> push(List<Command> commands, Path pack, boolean atomic)
      throws UpstreamGitException {
    Advertisement advertised = advertisement();
    if (!advertised.capabilities.contains("report-status")) {
      throw new UpstreamGitException(
          url + ": the upstream's receive-pack does not offer report-status", null);
    }
    if (atomic && !advertised.capabilities.contains("atomic")) {
      throw new UpstreamGitException(
          url
              + ": the push is atomic (git push --atomic) and the upstream's receive-pack does not"
              + " offer atomic pushes; push without --atomic",
          null);
    }
    Map<String, Result> results = new LinkedHashMap<>();
    List<Command> send = new ArrayList<>();
    for (Command command : commands) {
      ObjectId current = advertised.refs.getOrDefault(command.ref(), ObjectId.zeroId());
      if (current.equals(command.newId())) {
        Status status = command.isDelete() ? Status.NON_EXISTING : Status.UP_TO_DATE;
        results.put(command.ref(), new Result(command.ref(), status, null));
      } else if (!current.equals(command.oldId())) {
        results.put(command.ref(), new Result(command.ref(), Status.REJECTED_REMOTE_CHANGED, null));
        if (atomic) {
          return abortAll(commands, results);
        }
      } else {
        send.add(command);
      }
    }
    if (!send.isEmpty()) {
      boolean sideBand = advertised.capabilities.contains("side-band-64k");
      boolean withPack = send.stream().anyMatch(c -> !c.isDelete());
      for (Result result : post(send, withPack, pack, atomic, sideBand)) {
        results.put(result.ref(), result);
      }
    }
    return results;
  }

  private static Map<String, Result> abortAll(List<Command> commands, Map<String, Result> results) {
    for (Command command : commands) {
      Result result = results.get(command.ref());
      if (result == null || result.status() != Status.REJECTED_REMOTE_CHANGED) {
        results.put(
            command.ref(),
            new Result(command.ref(), Status.REJECTED_OTHER_REASON, "transaction aborted"));
      }
    }
    return results;
  }

  private record Advertisement(Map<String, ObjectId> refs, Set<String> capabilities) {}

  private Advertisement advertisement() throws UpstreamGitException {
    HttpURLConnection connection = open(url + "/info/refs?service=" + SERVICE, "GET");
    try {
      expect(connection, "application/x-" + SERVICE + "-advertisement");
      try (InputStream in = connection.getInputStream()) {
        PacketLineIn packets = new PacketLineIn(in);
        String line = packets.readString();
        if (!line.equals("# service=" + SERVICE)) {
          throw new IOException("the advertisement starts with '" + clip(line) + "'");
        }
        packets.readString(); // the flush after the service line
        Map<String, ObjectId> refs = new HashMap<>();
        Set<String> capabilities = new HashSet<>();
        for (line = packets.readString(); !PacketLineIn.isEnd(line); line = packets.readString()) {
          int nul = line.indexOf('\0');
          if (nul >= 0) {
            capabilities.addAll(List.of(line.substring(nul + 1).trim().split(" +")));
            line = line.substring(0, nul);
          }
          int space = line.indexOf(' ');
          if (space != ObjectId.zeroId().name().length()) {
            throw new IOException("an advertised ref is '" + clip(line) + "'");
          }
          String ref = line.substring(space + 1);
          if (ref.startsWith("refs/")) {
            refs.put(ref, ObjectId.fromString(line.substring(0, space)));
          }
        }
        return new Advertisement(refs, capabilities);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw failure("reading the upstream's receive-pack advertisement", e);
    } finally {
      connection.disconnect();
    }
  }

  /**
   * Sends the commands, then the pack when one is due: {@code pack}, or an empty pack when the push
   * brought no object (a new ref at a commit the upstream has).
   */
  private List<Result> post(
      List<Command> commands, boolean withPack, Path pack, boolean atomic, boolean sideBand)
      throws UpstreamGitException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      PacketLineOut packets = new PacketLineOut(head);
      String capabilities =
          "report-status" + (sideBand ? " side-band-64k" : "") + (atomic ? " atomic" : "");
      for (int i = 0; i < commands.size(); i++) {
        Command command = commands.get(i);
        String line = command.oldId().name() + " " + command.newId().name() + " " + command.ref();
        packets.writeString(
            i == 0 ? line + "\0" + capabilities + " agent=tollgate\n" : line + "\n");
      }
      packets.end();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory", e);
    }
    HttpURLConnection connection = open(url + "/" + SERVICE, "POST");
    try {
      long packBytes = !withPack ? 0 : pack == null ? EMPTY_PACK.length : Files.size(pack);
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/x-" + SERVICE + "-request");
      connection.setRequestProperty("Accept", "application/x-" + SERVICE + "-result");
      connection.setFixedLengthStreamingMode(head.size() + packBytes);
      try (OutputStream out = connection.getOutputStream()) {
        head.writeTo(out);
        if (withPack && pack == null) {
          out.write(EMPTY_PACK);
        } else if (withPack) {
          Files.copy(pack, out);
        }
      }
      expect(connection, "application/x-" + SERVICE + "-result");
      byte[] report;
      try (InputStream in = connection.getInputStream()) {
        report = sideBand ? demultiplex(in) : in.readAllBytes();
      }
      return report(report, commands);
    } catch (IOException | IllegalArgumentException e) {
      throw failure("pushing to the upstream", e);
    } finally {
      connection.disconnect();
    }
  }

  /** Channel 1 of a side-band stream; channel 2 (progress) is dropped, channel 3 is an error. */
  private static byte[] demultiplex(InputStream in) throws IOException {
    DataInputStream packets = new DataInputStream(in);
    ByteArrayOutputStream primary = new ByteArrayOutputStream();
    byte[] length = new byte[4];
    while (true) {
      try {
        packets.readFully(length);
      } catch (EOFException e) {
        throw new IOException("the upstream's answer ended without a flush", e);
      }
      int size = Integer.parseInt(new String(length, StandardCharsets.US_ASCII), 16);
      if (size == 0) {
        return primary.toByteArray();
      }
      if (size < 5) {
        throw new IOException("the upstream's answer has a side-band packet of length " + size);
      }
      byte[] payload = new byte[size - 4];
      packets.readFully(payload);
      switch (payload[0]) {
        case 1 -> primary.write(payload, 1, payload.length - 1);
        case 2 -> {}
        case 3 ->
            throw new IOException(
                "the upstream failed: "
                    + new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8).strip());
        default -> throw new IOException("the upstream's answer has side-band " + payload[0]);
      }
    }
  }

  /**
   * Parses report-status: {@code unpack ok|<why>}, then {@code ok <ref>} or {@code ng <ref> why}.
   */
  private static List<Result> report(byte[] report, List<Command> commands) throws IOException {
    PacketLineIn packets = new PacketLineIn(new ByteArrayInputStream(report));
    String unpack = packets.readString();
    if (!unpack.startsWith("unpack ")) {
      throw new IOException("the upstream's report starts with '" + clip(unpack) + "'");
    }
    String unpacked = unpack.substring("unpack ".length());
    Map<String, Result> reported = new HashMap<>();
    for (String line = packets.readString();
        !PacketLineIn.isEnd(line);
        line = packets.readString()) {
      if (line.startsWith("ok ")) {
        String ref = line.substring(3);
        reported.put(ref, new Result(ref, Status.OK, null));
      } else if (line.startsWith("ng ")) {
        int space = line.indexOf(' ', 3);
        String ref = space < 0 ? line.substring(3) : line.substring(3, space);
        String why = space < 0 ? "" : line.substring(space + 1);
        reported.put(ref, new Result(ref, refusal(why), why));
      } else {
        throw new IOException("the upstream's report has '" + clip(line) + "'");
      }
    }
    List<Result> results = new ArrayList<>();
    for (Command command : commands) {
      Result result = reported.get(command.ref());
      if (!"ok".equals(unpacked)) {
        String why = "the upstream could not unpack the objects: " + unpacked;
        result = new Result(command.ref(), Status.REJECTED_OTHER_REASON, why);
      }
      if (result != null) {
        results.add(result);
      }
    }
    return results;
  }

  /**
   * What git's receive-pack says when the ref is not at the old id sent (the compare-and-swap
   * failed: it moved meanwhile), as git, GitHub and GitLab spell it; any other refusal is the
   * upstream's own (a hook, a protected branch).
   */
  private static Status refusal(String why) {
    String lower = why.toLowerCase(Locale.ROOT);
    boolean moved =
        lower.startsWith("failed to update ref")
            || lower.startsWith("failed to delete")
            || lower.contains("stale info")
            || lower.contains("fetch first")
            || lower.contains("cannot lock ref")
            || lower.contains("incorrect old value");
    return moved ? Status.REJECTED_REMOTE_CHANGED : Status.REJECTED_OTHER_REASON;
  }

  private HttpURLConnection open(String target, String method) throws UpstreamGitException {
    try {
      URL location = URI.create(target).toURL();
      HttpURLConnection connection = (HttpURLConnection) location.openConnection();
      if (tls != null && connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(tls);
      }
      connection.setRequestMethod(method);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setConnectTimeout(timeoutMs);
      connection.setReadTimeout(timeoutMs);
      connection.setRequestProperty("User-Agent", "git/tollgate");
      connection.setRequestProperty("Pragma", "no-cache");
      if (authorization != null) {
        connection.setRequestProperty("Authorization", authorization);
      }
      return connection;
    } catch (IOException | IllegalArgumentException e) {
      throw failure("connecting to the upstream", e);
    }
  }

  /** A 200 of the expected content type, or a clear error naming what the upstream answered. */
  private void expect(HttpURLConnection connection, String type) throws IOException {
    int status = connection.getResponseCode();
    if (status == 401 || status == 403) {
      throw new IOException(
          "the upstream refused the credential (HTTP " + status + ")"); // never says which
    }
    if (status != 200) {
      throw new IOException(
          "the upstream answered HTTP " + status + " " + connection.getResponseMessage());
    }
    String actual = connection.getContentType();
    if (actual == null || !actual.split(";")[0].strip().equalsIgnoreCase(type)) {
      throw new IOException(
          "the upstream is not a git smart HTTP server (Content-Type " + actual + ")");
    }
  }

  private UpstreamGitException failure(String doing, Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += " (" + cause.getMessage() + ")";
    }
    return new UpstreamGitException(
        url + ": " + doing + " failed: " + message.replaceAll("[\\r\\n]+", " "), e);
  }

  private static byte[] emptyPack() {
    byte[] header = {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0};
    try {
      byte[] trailer = MessageDigest.getInstance("SHA-1").digest(header);
      byte[] pack = Arrays.copyOf(header, header.length + trailer.length);
      System.arraycopy(trailer, 0, pack, header.length, trailer.length);
      return pack;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is always available", e);
    }
  }

  private static String clip(String line) {
    String printable = line.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
  }
}
