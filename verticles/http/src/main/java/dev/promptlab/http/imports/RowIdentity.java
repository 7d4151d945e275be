package dev.promptlab.http.imports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two manifest rows the same enhancement: both images by content and every field as the manifest gave
 * it (the rater and time only when the manifest names them, so a second import by another admin still matches).
 * The SHA-256 of these, unique among imported rows, is what makes an import idempotent.
 */
final class RowIdentity {

  private RowIdentity() {
  }

  static String of(ImportRow row, String originalSha256, String enhancedSha256) {
    MessageDigest digest = sha256();
    // Each part length-prefixed: no two different rows can spell the same text.
    for (Object part : new Object[] {"import-row-v1", originalSha256, enhancedSha256, row.mode(),
      row.parameters().api(), row.parameters().strength(), row.parameters().guidanceScale(),
      row.parameters().controlWeight(), row.promptVersion(), row.rating(), row.comment(), row.ratedBy(),
      row.ratedAt() == null ? null : row.ratedAt().toInstant()}) {
      byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
      digest.update((part == null ? "-" : bytes.length + ":").getBytes(StandardCharsets.UTF_8));
      if (part != null) {
        digest.update(bytes);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
