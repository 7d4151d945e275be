package dev.promptlab.llm;

/**
 * Hears what a {@link ChatClient} does, for meters and events: each retry it schedules, each attempt held back by a
 * server's {@code Retry-After}, and each call's end. Called on
 * the event loop: implementations must be quick and must not throw.
 */
public interface ChatObserver {

  ChatObserver NONE = new ChatObserver() {
  };

  /**
   * An attempt failed and another follows after {@code delayMs}.
   *
   * @param retryAfterMs the wait the server asked for ({@code Retry-After} or {@code retry-after-ms}), or -1
   */
  default void retrying(ChatEndpoint endpoint, int failedAttempt, long delayMs, long retryAfterMs, String reason) {
  }

  /**
   * An attempt that had its slot waits {@code delayMs} before it is sent, because the server asked the endpoint to
   * wait ({@code Retry-After} on another call).
   */
  default void heldBack(ChatEndpoint endpoint, long delayMs) {
  }

  /** A call produced an answer. */
  default void answered(ChatEndpoint endpoint, ChatResponse response) {
  }

  /** A call ended without an answer. */
  default void failed(ChatEndpoint endpoint, ChatFailure failure) {
  }
}
