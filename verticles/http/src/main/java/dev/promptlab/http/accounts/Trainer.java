package dev.promptlab.http.accounts;

import java.time.OffsetDateTime;

/**
 * A trainer account as the admin pages list it: {@code ratings} is how many variants it rated, {@code ratingsToday}
 * how many of them since midnight (the database's time zone), {@code lastRatedAt} when it last rated (null: never).
 */
public record Trainer(long id, String email, String displayName, boolean disabled, OffsetDateTime createdAt,
                      long ratings, long ratingsToday, OffsetDateTime lastRatedAt) {
}
