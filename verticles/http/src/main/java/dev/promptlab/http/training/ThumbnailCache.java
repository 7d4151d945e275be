package dev.promptlab.http.training;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Thumbnails by image public id, least recently used first out once their bytes pass a bound. Stored images never
 * change, so an entry never goes stale. Thread-safe: instances of the http verticle may share it.
 */
public final class ThumbnailCache {

  private final long maxBytes;
  private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  public ThumbnailCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  public synchronized Optional<byte[]> get(String publicId) {
    return Optional.ofNullable(entries.get(publicId));
  }

  public synchronized void put(String publicId, byte[] thumbnail) {
    if (thumbnail.length > maxBytes) {
      return;
    }
    byte[] previous = entries.put(publicId, thumbnail);
    bytes += thumbnail.length - (previous == null ? 0 : previous.length);
    var oldest = entries.entrySet().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      Map.Entry<String, byte[]> entry = oldest.next();
      bytes -= entry.getValue().length;
      oldest.remove();
    }
  }

  public synchronized long bytes() {
    return bytes;
  }
}
