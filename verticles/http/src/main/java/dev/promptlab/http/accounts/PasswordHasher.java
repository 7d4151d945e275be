package dev.promptlab.http.accounts;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes with the JDK's PBKDF2-HMAC-SHA256: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}
 * (salt and hash in base64, 16 and 32 bytes). The iteration count is stored with each hash, so it can
 * be raised later without invalidating older hashes. Deliberately slow: call it off the event loop.
 */
public final class PasswordHasher {

  /** OWASP's recommendation for PBKDF2-HMAC-SHA256 (2023). */
  public static final int DEFAULT_ITERATIONS = 600_000;
  static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The slow step: PBKDF2 of {@code password} with {@code salt} over {@code rounds} iterations. */
  @FunctionalInterface
  public interface KeyDerivation {
    byte[] derive(String password, byte[] salt, int rounds);
  }

  private final int iterations;
  private final KeyDerivation derivation;

  public PasswordHasher(int iterations) {
    this(iterations, PasswordHasher::derive);
  }

  /** With another derivation (tests count the work each check asks for). */
  public PasswordHasher(int iterations, KeyDerivation derivation) {
    if (iterations < 1_000) {
      throw new IllegalArgumentException("at least 1000 PBKDF2 iterations, got " + iterations);
    }
    this.iterations = iterations;
    this.derivation = derivation;
  }

  public int iterations() {
    return iterations;
  }

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derivation.derive(password, salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /** True when {@code password} matches {@code stored}; false for a wrong password or a malformed hash. */
  public static boolean verify(String password, String stored) {
    return matches(password, stored, PasswordHasher::derive);
  }

  /** {@link #verify} through this hasher's derivation. */
  public boolean matches(String password, String stored) {
    return matches(password, stored, derivation);
  }

  private static boolean matches(String password, String stored, KeyDerivation derivation) {
    if (password == null || stored == null) {
      return false;
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !PREFIX.equals(parts[0])) {
      return false;
    }
    try {
      int rounds = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      if (rounds < 1_000 || rounds > 10_000_000) {
        return false;
      }
      return MessageDigest.isEqual(expected, derivation.derive(password, salt, rounds));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] derive(String password, byte[] salt, int rounds) {
    char[] chars = password.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, rounds, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }
}
