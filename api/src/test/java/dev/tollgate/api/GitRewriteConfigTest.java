package dev.tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.api.GitRewriteConfig.Remote;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rewrite as the real {@code git} applies it: {@code git ls-remote --get-url} expands a URL
 * with the configuration's {@code insteadOf} rules (remote.c) without talking to anyone, and {@code
 * git ls-remote} against a local server shows the request path the gateway would receive.
 */
class GitRewriteConfigTest {

  static final String GATEWAY = "http://127.0.0.1:9440/git/shop/";

  static final List<Remote> REMOTES =
      List.of(
          new Remote("shop", "https://github.com/acme/shop.git"),
          new Remote("shop-api", "https://github.com/acme/shop-api/"),
          new Remote("docs", "https://git.example.com/scm/docs"));

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "https://github.com/acme/shop, " + GATEWAY,
    "https://github.com/acme/shop/, " + GATEWAY,
    "https://github.com/acme/shop.git, " + GATEWAY,
    "https://github.com/acme/shop.git/, " + GATEWAY,
    "https://github.com/acme/shop-api, http://127.0.0.1:9440/git/shop-api/",
    "https://github.com/acme/shop-api.git, http://127.0.0.1:9440/git/shop-api/",
    "https://git.example.com/scm/docs/, http://127.0.0.1:9440/git/docs/",
    // Longer names and other repositories are not the remote: left as they are.
    "https://github.com/acme/shopping, https://github.com/acme/shopping",
    "https://github.com/acme/shop-apix, https://github.com/acme/shop-apix",
    "https://github.com/acme/shop-web, https://github.com/acme/shop-web",
    "https://github.com/acme/shop.github.io, https://github.com/acme/shop.github.io",
    "https://github.com/acme/shop.gitx, https://github.com/acme/shop.gitx",
    "https://github.com/acme/shop.old, https://github.com/acme/shop.old",
    "https://github.com/acme/shop/sub, https://github.com/acme/shop/sub",
    "https://github.com/acme/shop.git/sub, https://github.com/acme/shop.git/sub",
    "https://github.com/acme/sho, https://github.com/acme/sho",
    "https://github.com/acme/other, https://github.com/acme/other",
    "https://git.example.com/scm/docs2, https://git.example.com/scm/docs2",
  })
  void gitRewritesExactlyTheRemotesSpellings(String typed, String expected) throws Exception {
    Path config = write(GitRewriteConfig.render(REMOTES));
    assertThat(git(config, "ls-remote", "--get-url", typed)).isEqualTo(expected);
  }

  @Test
  void pushUrlsAreRewrittenToo() throws Exception {
    Path config = write(GitRewriteConfig.render(REMOTES));
    Path repo = dir.resolve("repo");
    git(config, "init", "-q", repo.toString());
    git(config, "-C", repo.toString(), "remote", "add", "origin", "https://github.com/acme/shop");
    assertThat(git(config, "-C", repo.toString(), "remote", "get-url", "--push", "origin"))
        .isEqualTo(GATEWAY);
  }

  /** What a clone sends: every spelling arrives as the path the gateway serves. */
  @Test
  void everySpellingReachesTheGatewaysInfoRefs() throws Exception {
    List<String> paths = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          paths.add(exchange.getRequestURI().getPath());
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      Path config =
          write(GitRewriteConfig.render(REMOTES, remote -> base + "/git/" + remote + "/"));
      for (String typed :
          List.of(
              "https://github.com/acme/shop",
              "https://github.com/acme/shop/",
              "https://github.com/acme/shop.git",
              "https://github.com/acme/shop.git/")) {
        run(config, "ls-remote", typed);
      }
      assertThat(paths).containsOnly("/git/shop/info/refs").hasSize(4);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theImagesOwnSystemConfigStaysIncluded() {
    assertThat(GitRewriteConfig.render(REMOTES)).contains("[include]\n\tpath = /etc/gitconfig\n");
  }

  @Test
  void quotesAndBackslashesAreEscaped() throws Exception {
    List<Remote> odd = List.of(new Remote("odd", "https://h.example/a\"b\\c;d#e"));
    Path config = write(GitRewriteConfig.render(odd));
    assertThat(git(config, "ls-remote", "--get-url", "https://h.example/a\"b\\c;d#e.git"))
        .isEqualTo("http://127.0.0.1:9440/git/odd/");
    assertThat(git(config, "ls-remote", "--get-url", "https://h.example/a\"b\\c;d#ef"))
        .isEqualTo("https://h.example/a\"b\\c;d#ef");
  }

  @Test
  void remotesRoundTripThroughTheInstallersVariable() {
    assertThat(GitRewriteConfig.decode(GitRewriteConfig.encode(REMOTES))).isEqualTo(REMOTES);
    assertThat(GitRewriteConfig.decode("")).isEmpty();
    assertThatThrownBy(() -> GitRewriteConfig.decode("shop https://a b"))
        .hasMessageContaining("not '<name> <url>'");
    assertThatThrownBy(() -> new Remote("Shop", "https://a/b")).hasMessageContaining("name");
    assertThatThrownBy(() -> new Remote("shop", "http://a/b")).hasMessageContaining("https");
  }

  @Test
  void stemDropsTrailingSlashesAndGitSuffix() {
    assertThat(GitRewriteConfig.stem("https://h/a/shop.git/")).isEqualTo("https://h/a/shop");
    assertThat(GitRewriteConfig.stem("https://h/a/shop//")).isEqualTo("https://h/a/shop");
    assertThat(GitRewriteConfig.stem("https://h/a/shop")).isEqualTo("https://h/a/shop");
  }

  private Path write(String content) throws IOException {
    Path file = Files.createTempFile(dir, "gitconfig", "");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private String git(Path config, String... args) throws Exception {
    Process process = run(config, args);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("git %s: %s", List.of(args), out).isZero();
    return out.strip();
  }

  /** git with only {@code config} as its system configuration, no global one, never prompting. */
  private Process run(Path config, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("GIT_CONFIG_SYSTEM", config.toString());
    builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "0");
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("HOME", dir.toString());
    for (String proxy : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")) {
      builder.environment().remove(proxy);
    }
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("git " + List.of(args) + " did not finish");
    }
    return process;
  }
}
