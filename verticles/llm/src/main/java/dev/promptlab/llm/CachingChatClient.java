package dev.promptlab.llm;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChatClient} that answers from a {@link ResponseCache} when it can and stores every fresh answer. Identical
 * requests in flight at the same time make one call: the others get its answer as a cache hit. An answer cut at the
 * token limit is stored like any other (the same request would be cut the same way); failures are never stored. A
 * cache that cannot be read or written costs the saving, never the answer: the call goes to the model.
 */
public final class CachingChatClient implements ChatClient {

  private static final Logger LOG = LoggerFactory.getLogger(CachingChatClient.class);

  private final ChatClient model;
  private final ResponseCache cache;
  private final Map<String, Future<ChatResponse>> inFlight = new ConcurrentHashMap<>();

  public CachingChatClient(ChatClient model, ResponseCache cache) {
    this.model = model;
    this.cache = cache;
  }

  @Override
  public ChatEndpoint endpoint() {
    return model.endpoint();
  }

  @Override
  public Future<ChatResponse> chat(ChatRequest request) {
    String digest = RequestDigest.of(endpoint().model(), request);
    Promise<ChatResponse> answer = Promise.promise();
    Future<ChatResponse> running = inFlight.putIfAbsent(digest, answer.future());
    if (running != null) {
      return running.map(ChatResponse::fromCache);
    }
    lookUpOrAsk(digest, request).onComplete(done -> {
      inFlight.remove(digest, answer.future());
      answer.handle(done);
    });
    return answer.future();
  }

  private Future<ChatResponse> lookUpOrAsk(String digest, ChatRequest request) {
    return cache.find(digest)
      .recover(failure -> {
        LOG.warn("{}: the response cache could not be read ({}); asking the model", endpoint().name(),
          failure.toString());
        return Future.succeededFuture(Optional.empty());
      })
      .compose(found -> found.isPresent() ? Future.succeededFuture(found.get().fromCache())
        : model.chat(request).compose(fresh -> cache.store(digest, endpoint().model(), fresh)
          .transform(stored -> {
            if (stored.failed()) {
              LOG.warn("{}: an answer could not be stored in the response cache ({})", endpoint().name(),
                stored.cause().toString());
            }
            return Future.succeededFuture(fresh);
          })));
  }

  @Override
  public void close() {
    model.close();
  }
}
