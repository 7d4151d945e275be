package dev.promptlab.llm;

import java.util.Objects;
import java.util.Set;

/**
 * One message of a chat: a role ({@code system}, {@code developer}, {@code user} or {@code assistant}) and its text.
 */
public record ChatMessage(String role, String content) {

  static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

  public ChatMessage {
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("a chat message's role is one of " + ROLES + ", got " + role);
    }
    Objects.requireNonNull(content, "a chat message needs a content");
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
