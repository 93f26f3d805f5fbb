package io.shunt.vswitchd.link;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link regions as files of the region directory (contract §2): name
 * {@code shunt-link-<bridge>-<A>-<B>-<gen>}; the generation is monotonic per directory and
 * persisted in {@code shunt-link-generation} (written tmp + rename), and never below the
 * highest generation of a region file present, so a restarted vswitchd never reuses one.
 */
public final class RegionDirectoryLinkStore implements LinkRegionStore {
    private static final Logger log = LoggerFactory.getLogger(RegionDirectoryLinkStore.class);
    static final String PREFIX = "shunt-link-";
    static final String GENERATION_FILE = "shunt-link-generation";

    private final RegionOptions regions;
    private final PacketPool pool;
    private final int ringCapacity;

    public RegionDirectoryLinkStore(RegionOptions regions, PacketPool pool, int ringCapacity) {
        this.regions = regions;
        this.pool = pool;
        this.ringCapacity = ringCapacity;
    }

    static String name(String bridge, int a, int b, long generation) {
        return PREFIX + bridge + "-" + Integer.toUnsignedString(a) + "-" + Integer.toUnsignedString(b) + "-" + generation;
    }

    private static Pattern pattern(String bridge) {
        return Pattern.compile(Pattern.quote(PREFIX + bridge + "-") + "(\\d+)-(\\d+)-(\\d+)");
    }

    @Override
    public synchronized LinkRegion create(String bridge, int portA, int portB, boolean pair) throws IOException {
        long generation = nextGeneration();
        return LinkRegion.create(regions, name(bridge, portA, portB, generation), generation, portA, portB, pair ? 2 : 1,
                ringCapacity, pool);
    }

    private long nextGeneration() throws IOException {
        Path counter = regions.directory().resolve(GENERATION_FILE);
        long last = 0;
        if (Files.exists(counter)) {
            try {
                last = Long.parseLong(Files.readString(counter).strip());
            } catch (NumberFormatException e) {
                log.warn("link generation file {} is corrupt ({}); continuing from the region files", counter,
                        e.getMessage());
            }
        }
        Pattern any = Pattern.compile(Pattern.quote(PREFIX) + ".*-(\\d+)");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(regions.directory(), PREFIX + "*")) {
            for (Path f : files) {
                Matcher m = any.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).length() < 19) {
                    last = Math.max(last, Long.parseLong(m.group(1)));
                }
            }
        }
        long next = last + 1;
        Path tmp = regions.directory().resolve("." + GENERATION_FILE + ".tmp");
        Files.writeString(tmp, next + "\n");
        Files.move(tmp, counter, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return next;
    }

    @Override
    public Path file(LinkRegion link) {
        return link.region().file();
    }

    @Override
    public List<LinkRegion> existing(String bridge) throws IOException {
        List<LinkRegion> out = new ArrayList<>();
        Pattern p = pattern(bridge);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(regions.directory(), PREFIX + bridge + "-*")) {
            for (Path f : files) {
                if (!p.matcher(f.getFileName().toString()).matches()) {
                    continue;
                }
                try {
                    out.add(LinkRegion.attach(f));
                } catch (IOException | RuntimeException e) {
                    log.warn("link region {} is unusable ({}); deleting it", f, e.getMessage());
                    Files.deleteIfExists(f);
                }
            }
        }
        return out;
    }

    @Override
    public void free(LinkRegion link) throws IOException {
        Path f = link.region().file();
        link.close();
        Files.deleteIfExists(f);
    }
}
