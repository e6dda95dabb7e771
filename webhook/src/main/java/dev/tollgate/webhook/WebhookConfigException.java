package dev.tollgate.webhook;

import java.util.List;

/** Bad settings, all of them: the webhook refuses to start and prints each. */
public final class WebhookConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public WebhookConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
