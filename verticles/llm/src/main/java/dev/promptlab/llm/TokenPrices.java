package dev.promptlab.llm;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a model costs, in US dollars per million tokens: prompt tokens, prompt tokens served from the provider's
 * prompt cache, and answer tokens. Local servers cost nothing ({@link #FREE}). Cost is kept in {@link BigDecimal}:
 * thousands of calls of a fraction of a cent each must add up to the exact total a budget is checked against.
 */
public record TokenPrices(BigDecimal inputPerMillionUsd, BigDecimal cachedInputPerMillionUsd,
                          BigDecimal outputPerMillionUsd) {

  public static final TokenPrices FREE = new TokenPrices(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  public TokenPrices {
    for (BigDecimal price : new BigDecimal[] {inputPerMillionUsd, cachedInputPerMillionUsd, outputPerMillionUsd}) {
      if (Objects.requireNonNull(price, "a price is required").signum() < 0) {
        throw new IllegalArgumentException("prices cannot be negative, got " + price);
      }
    }
  }

  /** The cost of {@code usage}; 0 when the server did not report it. Exact (no rounding). */
  public BigDecimal costOf(Usage usage) {
    int uncached = usage.promptTokens() - usage.cachedPromptTokens();
    return inputPerMillionUsd.multiply(BigDecimal.valueOf(uncached))
      .add(cachedInputPerMillionUsd.multiply(BigDecimal.valueOf(usage.cachedPromptTokens())))
      .add(outputPerMillionUsd.multiply(BigDecimal.valueOf(usage.completionTokens())))
      .divide(MILLION);
  }
}
