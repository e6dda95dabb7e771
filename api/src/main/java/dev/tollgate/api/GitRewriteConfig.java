package dev.tollgate.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The git system configuration of an agent container ({@link SidecarContract.Paths#GIT_CONFIG}):
 * each of the identity's remotes rewritten to the sidecar's git gateway with {@code
 * url.<gateway>.insteadOf}, so that {@code git clone https://github.com/acme/shop} and a later
 * {@code git push} reach the gateway unchanged.
 *
 * <p>git rewrites a URL that <em>starts with</em> an {@code insteadOf} value, the longest such
 * value winning (remote.c, {@code alias_url}); nothing anchors the end. {@code insteadOf =
 * https://github.com/acme/shop} alone would send {@code https://github.com/acme/shopping} to shop's
 * gateway, and {@code .../shop/}-only entries would miss the plain URL people type. So the four
 * spellings of the remote (with and without {@code .git}, with and without the trailing slash) go
 * to the gateway, and every one character longer continuation of them gets a longer entry that
 * rewrites it to itself: for git the longest match wins, so {@code .../shopping} matches {@code
 * .../shopp} and stays as it was. That covers printable ASCII; a continuation with any other
 * character reaches the gateway as an extra path segment, which it answers with 404 (it serves only
 * {@code /git/<remote>/info/refs}, {@code git-upload-pack} and {@code git-receive-pack}).
 *
 * <p>The webhook hands the installer the remotes ({@link #encode}), not this file: it is a few tens
 * of kilobytes per remote, too much for an environment variable.
 */
public final class GitRewriteConfig {

  /** One remote: its name (the gateway's path segment) and its upstream URL. */
  public record Remote(String name, String url) {
    public Remote {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a git remote name: " + name);
      }
      if (!URL.matcher(url).matches()) {
        throw new IllegalArgumentException("not an https URL without spaces: " + url);
      }
    }
  }

  /** The image's own system configuration, still read: {@code GIT_CONFIG_SYSTEM} replaces it. */
  static final String IMAGE_SYSTEM_CONFIG = "/etc/gitconfig";

  /** What ToolScope validation admits as a remote name (a DNS label). */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** What ToolScope validation admits as a URL, as far as this file's syntax cares. */
  private static final Pattern URL = Pattern.compile("https://[\\x21-\\x7e]+");

  private GitRewriteConfig() {}

  /** The remotes as {@link SidecarContract.InstallerEnv#GIT_REMOTES} carries them. */
  public static String encode(List<Remote> remotes) {
    StringBuilder text = new StringBuilder();
    for (Remote remote : remotes) {
      text.append(remote.name()).append(' ').append(remote.url()).append('\n');
    }
    return text.toString();
  }

  /** The remotes of {@link #encode}'s text; throws on a line that is not one. */
  public static List<Remote> decode(String text) {
    List<Remote> remotes = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.trim().split(" ");
      if (fields.length != 2) {
        throw new IllegalArgumentException("not '<name> <url>': " + line);
      }
      remotes.add(new Remote(fields[0], fields[1]));
    }
    return remotes;
  }

  /** The configuration with the gateway at the sidecar's decision address. */
  public static String render(List<Remote> remotes) {
    return render(remotes, SidecarContract::gitGatewayUrl);
  }

  /**
   * The configuration with each remote's gateway URL (ending in a slash) given by {@code gateway}:
   * what the tests point at a local server.
   */
  public static String render(List<Remote> remotes, Function<String, String> gateway) {
    // insteadOf value -> base. Gateway entries first, so that a remote's own spelling is never
    // shadowed by another remote's keep-as-is entry; the first remote with a spelling keeps it.
    Map<String, String> rewrites = new LinkedHashMap<>();
    for (Remote remote : remotes) {
      String stem = stem(remote.url());
      for (String spelling : List.of(stem, stem + "/", stem + ".git", stem + ".git/")) {
        rewrites.putIfAbsent(spelling, gateway.apply(remote.name()));
      }
    }
    for (Remote remote : remotes) {
      String stem = stem(remote.url());
      keepContinuations(rewrites, stem, "/.");
      rewrites.putIfAbsent(stem + ".", stem + ".");
      keepContinuations(rewrites, stem + "/", "");
      keepContinuations(rewrites, stem + ".git", "/");
      keepContinuations(rewrites, stem + ".git/", "");
    }
    StringBuilder config = new StringBuilder();
    config.append("# Written by tollgate-install: the identity's git remotes go to the decision\n");
    config.append("# point's git gateway. Generated; read-only.\n");
    config.append("[include]\n\tpath = ").append(IMAGE_SYSTEM_CONFIG).append('\n');
    // One section per base, its insteadOf values together.
    Map<String, List<String>> byBase = new LinkedHashMap<>();
    rewrites.forEach(
        (from, base) -> byBase.computeIfAbsent(base, b -> new ArrayList<>()).add(from));
    byBase.forEach(
        (base, froms) -> {
          config.append("[url \"").append(escape(base)).append("\"]\n");
          for (String from : froms) {
            config.append("\tinsteadOf = \"").append(escape(from)).append("\"\n");
          }
        });
    return config.toString();
  }

  /**
   * The URL without trailing slashes and without {@code .git}: the part every spelling of the
   * repository shares.
   */
  static String stem(String url) {
    String stem = url;
    while (stem.endsWith("/")) {
      stem = stem.substring(0, stem.length() - 1);
    }
    if (stem.endsWith(".git")) {
      stem = stem.substring(0, stem.length() - ".git".length());
    }
    return stem;
  }

  /** {@code prefix + c} rewritten to itself for every printable ASCII {@code c} not in except. */
  private static void keepContinuations(
      Map<String, String> rewrites, String prefix, String except) {
    for (char c = 0x21; c <= 0x7e; c++) {
      if (except.indexOf(c) < 0) {
        rewrites.putIfAbsent(prefix + c, prefix + c);
      }
    }
  }

  /** Inside double quotes git's config syntax takes {@code \"} and {@code \\} as escapes. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
