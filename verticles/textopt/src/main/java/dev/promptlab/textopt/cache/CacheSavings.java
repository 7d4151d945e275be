package dev.promptlab.textopt.cache;

import java.math.BigDecimal;

/**
 * What the response cache holds and what it has saved: answers stored, calls it answered, and the tokens and dollars
 * those calls would have cost (each hit priced as the call that produced the answer).
 */
public record CacheSavings(long entries, long hits, long tokensSaved, BigDecimal costSavedUsd) {
}
