package dev.promptlab.http.accounts;

/**
 * Rated variants counted for the status panel: the caller's own today and in all, and the whole team's. "Today"
 * starts at midnight in the database's time zone.
 */
public record RatingActivity(long mineToday, long mine, long teamToday, long team) {
}
