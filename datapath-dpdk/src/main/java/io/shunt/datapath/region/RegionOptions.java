package io.shunt.datapath.region;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Where and with which access rights regions are created. QEMU runs as {@code libvirt-qemu},
 * so a region plugged into a VM needs a mode or an owner that lets it open the file
 * (FACTS.md, libvirt and QEMU).
 *
 * @param directory   {@code /dev/shm} (what ivshmem-plain uses) or a hugetlbfs mount
 * @param permissions file mode, applied after creation (so the umask does not narrow it)
 * @param owner       user to chown the file to, or {@code null} to keep the creator
 * @param group       group to chgrp the file to, or {@code null} to keep the creator's
 */
public record RegionOptions(Path directory, Set<PosixFilePermission> permissions, String owner, String group) {
    /** The default directory, a tmpfs on Linux. */
    public static final Path DEV_SHM = Path.of("/dev/shm");

    public RegionOptions {
        Objects.requireNonNull(directory, "directory");
        permissions = Set.copyOf(permissions);
    }

    /** Regions in {@code directory}, mode 0660, owned by the creator. */
    public static RegionOptions in(Path directory) {
        return new RegionOptions(directory, PosixFilePermissions.fromString("rw-rw----"), null, null);
    }

    /** Regions in {@code /dev/shm}, mode 0660. */
    public static RegionOptions defaults() {
        return in(DEV_SHM);
    }

    public RegionOptions withPermissions(String mode) {
        return new RegionOptions(directory, PosixFilePermissions.fromString(mode), owner, group);
    }

    public RegionOptions withOwner(String user, String groupName) {
        return new RegionOptions(directory, permissions, user, groupName);
    }

    /** The file of region {@code name}. */
    public Path fileOf(String name) {
        return directory.resolve(name);
    }
}
