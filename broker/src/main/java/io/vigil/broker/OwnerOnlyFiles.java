package io.vigil.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and directories only their owner may use (0600 and 0700), where the file system has POSIX
 * permissions. Elsewhere (Windows) a new file inherits the ACL of its directory: this says so in
 * the log once per path instead of pretending.
 */
final class OwnerOnlyFiles {

  private static final Logger log = LoggerFactory.getLogger(OwnerOnlyFiles.class);
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private OwnerOnlyFiles() {}

  /** Narrows {@code path} to owner-only if anyone else may use it. */
  static void restrict(Path path) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view == null) {
      log.warn(
          "{} is not on a POSIX file system: Vigil cannot make it owner-only; protect it with the"
              + " operating system's access control lists",
          path);
      return;
    }
    Set<PosixFilePermission> wanted = Files.isDirectory(path) ? DIRECTORY : FILE;
    Set<PosixFilePermission> current = view.readAttributes().permissions();
    if (!current.equals(wanted)) {
      view.setPermissions(wanted);
      log.info(
          "Narrowed the permissions of {} from {} to {}",
          path,
          PosixFilePermissions.toString(current),
          PosixFilePermissions.toString(wanted));
    }
  }

  /**
   * Writes {@code text} to a new file {@code target} that is owner-only from its creation (never
   * readable by others, not even for a moment). Fails with {@link
   * java.nio.file.FileAlreadyExistsException} if {@code target} exists.
   */
  static void writeNew(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (Files.getFileAttributeView(target.getParent(), PosixFileAttributeView.class) != null) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE));
    } else {
      Files.createFile(tmp);
    }
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target); // no REPLACE_EXISTING: a concurrent first start keeps the winner's
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
