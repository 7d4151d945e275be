package dev.promptlab.textopt.dataset;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * Which accepted rows are held out for evaluation. The seed comes from the file's SHA-256, so the same file gives the
 * same split on any machine: the rows are shuffled by {@link Random} with that seed (its sequence is fixed by its
 * specification) and the first {@code round(rows * evalRatio)} of the shuffle, at least one and at most all but one,
 * are the evaluation rows.
 */
public final class DatasetSplit {

  private DatasetSplit() {
  }

  /** The SHA-256 of the file, in hex. */
  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The seed of a file's split: the first eight bytes of its SHA-256. */
  public static long seedOf(String sha256Hex) {
    return ByteBuffer.wrap(HexFormat.of().parseHex(sha256Hex.substring(0, 16))).getLong();
  }

  /** How many of {@code rows} (at least 2) are held out. */
  public static int evalCount(int rows, double evalRatio) {
    long wanted = Math.round(rows * evalRatio);
    return (int) Math.max(1, Math.min(rows - 1, wanted));
  }

  /** For each of {@code rows} accepted rows in file order, whether it is an evaluation row. */
  public static boolean[] evalRows(int rows, double evalRatio, long seed) {
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = rows - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    boolean[] eval = new boolean[rows];
    int count = evalCount(rows, evalRatio);
    for (int i = 0; i < count; i++) {
      eval[order[i]] = true;
    }
    return eval;
  }
}
