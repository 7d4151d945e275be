package dev.promptlab.http.accounts;

import java.time.OffsetDateTime;

/** A trainer account as the admin pages list it ({@code ratings}: how many variants it rated). */
public record Trainer(long id, String email, String displayName, boolean disabled, OffsetDateTime createdAt,
                      long ratings) {
}
