package dev.promptlab.http.accounts;

import java.time.OffsetDateTime;

/** An API token as its owner sees it in a list: never the secret, which only its digest could rebuild. */
public record ApiToken(long id, String name, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
                       OffsetDateTime expiresAt, boolean expired) {
}
