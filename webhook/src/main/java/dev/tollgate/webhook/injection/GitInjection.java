package dev.tollgate.webhook.injection;

import dev.tollgate.api.GitRewriteConfig;
import dev.tollgate.api.SidecarContract.InstallerEnv;
import dev.tollgate.api.SidecarContract.Paths;
import dev.tollgate.api.SidecarContract.SidecarEnv;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The git remotes of an identity's ToolScopes wired to the sidecar's git gateway: each remote's
 * credential and a disk-backed mirror volume in the sidecar alone, and in every agent container a
 * git system configuration (written by the installer) that rewrites the remotes' URLs to the
 * gateway. An identity without remotes gets none of it.
 */
final class GitInjection {

  /** The gateway's bare mirrors: disk-backed, since a repository does not fit the memory /tmp. */
  static final String MIRROR_VOLUME = "tollgate-git-mirror";

  /** {@code <prefix><remote>}: one Secret volume per remote with a credential. */
  static final String CREDENTIAL_VOLUME_PREFIX = "tollgate-git-cred-";

  /** Every git volume is the sidecar's: the agent's configuration sits in the hook volume. */
  static final String VOLUME_PREFIX = "tollgate-git-";

  /** Kubernetes volume names are DNS labels. */
  private static final int MAX_VOLUME_NAME = 63;

  /**
   * One remote as the pod needs it.
   *
   * @param secretName the credential Secret, or null for an anonymous remote
   * @param key its key, null with it
   */
  record Remote(String name, String url, String secretName, String key) {
    boolean hasCredential() {
      return secretName != null;
    }
  }

  private GitInjection() {}

  static boolean isSidecarOnlyVolume(String name) {
    return name.startsWith(VOLUME_PREFIX);
  }

  /**
   * The volume of a remote's credential: the remote's name when it fits, else its start and a hash
   * of all of it (remote names may be 63 characters, the limit of the volume name itself).
   */
  static String credentialVolume(String remote) {
    String name = CREDENTIAL_VOLUME_PREFIX + remote;
    if (name.length() <= MAX_VOLUME_NAME) {
      return name;
    }
    String hash = sha256(remote).substring(0, 10);
    String start = remote.substring(0, MAX_VOLUME_NAME - CREDENTIAL_VOLUME_PREFIX.length() - 11);
    return CREDENTIAL_VOLUME_PREFIX + start.replaceAll("-+$", "") + "-" + hash;
  }

  /** The mirror volume and one Secret volume per remote with a credential. */
  static void addVolumes(List<Volume> volumes, List<Remote> remotes, String mirrorSizeLimit) {
    if (remotes.isEmpty()) {
      return;
    }
    SidecarInjection.put(
        volumes,
        Volume::getName,
        new VolumeBuilder()
            .withName(MIRROR_VOLUME)
            .withNewEmptyDir()
            .withSizeLimit(new Quantity(mirrorSizeLimit))
            .endEmptyDir()
            .build());
    for (Remote remote : remotes) {
      if (remote.hasCredential()) {
        SidecarInjection.put(
            volumes,
            Volume::getName,
            new VolumeBuilder()
                .withName(credentialVolume(remote.name()))
                .withNewSecret()
                .withSecretName(remote.secretName())
                .addNewItem()
                .withKey(remote.key())
                .withPath("token")
                .endItem()
                // Root owns a Secret's files: the sidecar's own user must be able to read it. Only
                // the sidecar mounts the volume, and the lockdown keeps every other container off.
                .withDefaultMode(0444)
                .endSecret()
                .build());
      }
    }
  }

  /** The mirror (writable) and the credentials ({@code <dir>/<remote>/token}) in the sidecar. */
  static void wireSidecar(Container sidecar, List<Remote> remotes) {
    if (remotes.isEmpty()) {
      return;
    }
    List<VolumeMount> mounts =
        new ArrayList<>(sidecar.getVolumeMounts() == null ? List.of() : sidecar.getVolumeMounts());
    mounts.add(SidecarContainers.mount(MIRROR_VOLUME, Paths.GIT_MIRROR_DIR, false));
    for (Remote remote : remotes) {
      if (remote.hasCredential()) {
        mounts.add(
            SidecarContainers.mount(
                credentialVolume(remote.name()),
                Paths.GIT_CREDENTIALS_DIR + "/" + remote.name(),
                true));
      }
    }
    sidecar.setVolumeMounts(mounts);
    List<EnvVar> env = new ArrayList<>(sidecar.getEnv() == null ? List.of() : sidecar.getEnv());
    put(env, SidecarContainers.env(SidecarEnv.GIT_MIRROR_DIR, Paths.GIT_MIRROR_DIR));
    put(env, SidecarContainers.env(SidecarEnv.GIT_CREDENTIALS_DIR, Paths.GIT_CREDENTIALS_DIR));
    sidecar.setEnv(env);
  }

  /**
   * The remotes for the installer, which renders the configuration ({@link GitRewriteConfig}): the
   * rendered file is a few tens of kilobytes per remote, too much for an environment variable.
   */
  static void wireInstaller(Container installer, List<Remote> remotes) {
    if (remotes.isEmpty()) {
      return;
    }
    List<EnvVar> env = new ArrayList<>(installer.getEnv() == null ? List.of() : installer.getEnv());
    put(
        env,
        SidecarContainers.env(
            InstallerEnv.GIT_REMOTES,
            GitRewriteConfig.encode(
                remotes.stream()
                    .map(remote -> new GitRewriteConfig.Remote(remote.name(), remote.url()))
                    .toList())));
    installer.setEnv(env);
  }

  /**
   * An agent container (or a user init container) reads the rewrite as its system configuration
   * ({@link Paths#GIT_CONFIG}, in the hook client's read-only volume): the system level, so that
   * the agent's own {@code ~/.gitconfig} (user.name, aliases) still applies. Advisory: git run with
   * another {@code GIT_CONFIG_SYSTEM} goes to the upstream itself, without the credential, which
   * only the sidecar holds.
   */
  static void wireAgent(Container agent) {
    List<EnvVar> env = new ArrayList<>(agent.getEnv() == null ? List.of() : agent.getEnv());
    put(env, SidecarContainers.env("GIT_CONFIG_SYSTEM", Paths.GIT_CONFIG));
    // An image or pod that sets GIT_CONFIG_NOSYSTEM would skip the file; "0" reads it.
    put(env, SidecarContainers.env("GIT_CONFIG_NOSYSTEM", "0"));
    // The gateway never asks for a password: a prompt would only hang an agent that has no one
    // to type one.
    put(env, SidecarContainers.env("GIT_TERMINAL_PROMPT", "0"));
    agent.setEnv(env);
    // Agent containers have the hook client's volume already; a user init container (a clone
    // before the agent starts) gets it here, read-only, for the file.
    List<VolumeMount> mounts =
        new ArrayList<>(agent.getVolumeMounts() == null ? List.of() : agent.getVolumeMounts());
    SidecarInjection.put(
        mounts,
        VolumeMount::getName,
        SidecarContainers.mount(SidecarInjection.BIN_VOLUME, Paths.BIN_DIR, true));
    agent.setVolumeMounts(mounts);
  }

  private static void put(List<EnvVar> env, EnvVar variable) {
    SidecarInjection.put(env, EnvVar::getName, variable);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
