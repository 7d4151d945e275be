package dev.promptlab.database;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries shipped on the class path ({@code postgres-linux-x86_64.txz}), unpacked once
 * into a folder of their own.
 *
 * <p>Rules: the runtime folder is owner-only (0700) and nothing under it is writable by group or others;
 * a version is unpacked into a temporary folder and renamed into place, so a crash mid-way never leaves a
 * half-unpacked version that looks complete; a version folder whose owner or permissions are not ours
 * (e.g. unpacked by an older release with world-writable folders) is unpacked again; other versions are
 * removed.
 */
final class PostgresBinaries {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
  private static final String RESOURCE = "postgres-linux-x86_64.txz";
  private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
  private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS = EnumSet.of(
    PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private PostgresBinaries() {
  }

  /** Blocking: returns the folder holding {@code bin/} and {@code lib/}, unpacking it first when needed. */
  static Path prepare(Path runtimeDirectory) {
    try {
      URL archive = archiveUrl();
      String version = "pg-" + fingerprint(archive);
      Files.createDirectories(runtimeDirectory);
      Files.setPosixFilePermissions(runtimeDirectory, OWNER_ONLY);
      Path target = runtimeDirectory.resolve(version);
      if (Files.isDirectory(target) && !trustworthy(target)) {
        LOG.warn("The PostgreSQL binaries in {} are writable by other users; unpacking them again", target);
        deleteTree(target);
      }
      try (Stream<Path> children = Files.list(runtimeDirectory)) {
        for (Path child : children.filter(c -> !c.equals(target)).toList()) {
          deleteTree(child);
        }
      }
      if (!Files.isDirectory(target)) {
        Path temporary = Files.createTempDirectory(runtimeDirectory, "unpacking-");
        LOG.info("Unpacking the PostgreSQL binaries into {}", target);
        unpack(read(archive), temporary);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not unpack the PostgreSQL binaries into " + runtimeDirectory, e);
    }
  }

  private static URL archiveUrl() {
    URL url = PostgresBinaries.class.getClassLoader().getResource(RESOURCE);
    if (url == null) {
      throw new IllegalStateException("the PostgreSQL binaries (" + RESOURCE + ") are not on the class path;"
        + " only Linux x86-64 is supported by the embedded database, set DATABASE_URL elsewhere");
    }
    return url;
  }

  /**
   * Names the archive's version without reading it when it sits in a jar (the usual case: the binaries' own jar,
   * or the packaged server): the entry's CRC-32 and size from the jar's directory. Elsewhere, its SHA-256.
   */
  private static String fingerprint(URL archive) throws IOException {
    if (archive.openConnection() instanceof JarURLConnection jar) {
      JarEntry entry = jar.getJarEntry();
      if (entry.getCrc() >= 0 && entry.getSize() >= 0) {
        return Long.toHexString(entry.getCrc()) + "-" + Long.toHexString(entry.getSize());
      }
    }
    return HexFormat.of().formatHex(sha256(read(archive))).substring(0, 16);
  }

  private static byte[] read(URL archive) throws IOException {
    try (InputStream in = archive.openStream()) {
      return in.readAllBytes();
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every entry is ours and none is writable by group or others (symbolic links are not followed). */
  private static boolean trustworthy(Path root) throws IOException {
    var owner = Files.getOwner(root.getParent());
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.allMatch(p -> {
        try {
          if (Files.isSymbolicLink(p)) {
            return true;
          }
          return Files.getOwner(p).equals(owner)
            && Files.getPosixFilePermissions(p).stream().noneMatch(WRITABLE_BY_OTHERS::contains);
        } catch (IOException e) {
          return false;
        }
      });
    }
  }

  private static void unpack(byte[] archive, Path into) throws IOException {
    try (InputStream xz = new XZCompressorInputStream(new BufferedInputStream(new java.io.ByteArrayInputStream(archive)));
         TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry outside its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent());
          Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
        } else if (entry.isFile()) {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path);
          Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
      }
    }
    // Folders: owner rwx, group and others read and traverse (the runtime folder itself is owner-only).
    try (Stream<Path> paths = Files.walk(into)) {
      for (Path p : paths.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
        Files.setPosixFilePermissions(p, permissions(0755));
      }
    }
  }

  /** The archive's mode without any write bit for group or others. */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    if ((mode & 0100) != 0) {
      set.add(PosixFilePermission.OWNER_EXECUTE);
    }
    if ((mode & 0040) != 0) {
      set.add(PosixFilePermission.GROUP_READ);
    }
    if ((mode & 0010) != 0) {
      set.add(PosixFilePermission.GROUP_EXECUTE);
    }
    if ((mode & 0004) != 0) {
      set.add(PosixFilePermission.OTHERS_READ);
    }
    if ((mode & 0001) != 0) {
      set.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    return set;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
