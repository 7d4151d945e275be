package dev.promptlab.generation.storage;

/**
 * Where one image's bytes live: the storage type ({@code local} or {@code s3}, the {@code images.storage}
 * column), the bucket (empty for local) and the key within it.
 */
public record StorageLocation(String storage, String bucket, String key) {
}
