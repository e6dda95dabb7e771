package dev.tollgate.clustertests;

import dev.tollgate.testsupport.GitHttpUpstream;
import dev.tollgate.testsupport.SelfSignedTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A git upstream for pods of the one-node cluster, as a hosted one would be: git's own http-backend
 * over HTTPS on the node's bridge address, demanding a token, its certificate issued for that
 * address (self-signed: the PEM is what a remote's caBundle names). Holds one repository, {@code
 * shop}, seeded with a first commit on main.
 */
final class LabUpstream implements AutoCloseable {

  static final String REPOSITORY = "shop";

  private final GitHttpUpstream server;
  private final SelfSignedTls tls;
  private final Path repository;

  private LabUpstream(GitHttpUpstream server, SelfSignedTls tls, Path repository) {
    this.server = server;
    this.tls = tls;
    this.repository = repository;
  }

  /** Started, with {@code files} (path to content) as the first commit of main. */
  static LabUpstream start(Map<String, String> files) throws Exception {
    Path root = Files.createTempDirectory("tollgate-lab-upstream");
    SelfSignedTls tls =
        SelfSignedTls.forAddresses(root.resolve("tls"), List.of(NodeCluster.nodeAddress()));
    GitHttpUpstream server =
        GitHttpUpstream.https(
            Files.createDirectories(root.resolve("repositories")), NodeCluster.nodeAddress(), tls);
    Path repository = server.create(REPOSITORY);
    Path seed = Files.createDirectories(root.resolve("seed"));
    git(seed, "init", "-q", "-b", "main");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = seed.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    git(seed, "add", "-A");
    git(
        seed,
        "-c",
        "user.name=dana",
        "-c",
        "user.email=dana@example.com",
        "commit",
        "-qm",
        "Initial");
    git(seed, "push", "-q", repository.toString(), "main");
    return new LabUpstream(server, tls, repository);
  }

  /** The repository's URL, as a ToolScope's gitRemotes and the agent's git name it. */
  String url() {
    return server.url(REPOSITORY);
  }

  /** The PEM a remote's caBundle must hold to trust this upstream. */
  String caPem() {
    return tls.certificatePem();
  }

  /** The token the upstream demands (HTTP Basic password), what the credential Secret holds. */
  String token() {
    return GitHttpUpstream.TOKEN;
  }

  /** {@code ref} in the upstream repository, or empty when it does not exist. */
  String ref(String ref) throws Exception {
    return run(repository, "rev-parse", "--verify", "-q", ref).output().strip();
  }

  /** Branches and their commits, as {@code git branch -v} prints them. */
  String branches() throws Exception {
    return git(repository, "branch", "-v");
  }

  /** Authorization headers received so far, in order. */
  List<String> authorizations() {
    synchronized (server.authorizations) {
      return List.copyOf(server.authorizations);
    }
  }

  /** Requests refused for want of the token. */
  int refused() {
    return server.refused;
  }

  /** The Authorization header of a request made with the token. */
  String expectedAuthorization() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (GitHttpUpstream.USER + ":" + GitHttpUpstream.TOKEN)
                    .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A ToolScope-ready {@code gitRemotes} entry for this upstream (YAML, indented by {@code indent}
   * spaces), its credential in Secret {@code secret}, key {@code token}.
   */
  String remoteYaml(String name, String secret, int indent) {
    String pad = " ".repeat(indent);
    return pad
        + "- name: "
        + name
        + "\n"
        + pad
        + "  url: "
        + url()
        + "\n"
        + pad
        + "  credentialsSecretRef: {name: "
        + secret
        + ", key: token}\n"
        + pad
        + "  caBundle: |\n"
        + caPem().strip().lines().map(l -> pad + "    " + l + "\n").reduce("", String::concat);
  }

  @Override
  public void close() {
    server.close();
  }

  /** git in {@code dir}, expected to succeed. */
  private static String git(Path dir, String... args) throws Exception {
    Run run = run(dir, args);
    if (run.exit() != 0) {
      throw new AssertionError("git " + String.join(" ", args) + " failed: " + run.output());
    }
    return run.output();
  }

  private record Run(int exit, String output) {}

  private static Run run(Path dir, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("git", "--no-pager"));
    argv.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("git " + String.join(" ", args) + " hung");
    }
    return new Run(process.exitValue(), output);
  }
}
