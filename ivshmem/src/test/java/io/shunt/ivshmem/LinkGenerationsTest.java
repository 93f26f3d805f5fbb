package io.shunt.ivshmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkGenerationsTest {
    @TempDir
    Path dir;

    @Test
    void generationsIncreaseAndSurviveARestart() throws IOException {
        LinkGenerations first = new LinkGenerations(dir);
        assertEquals(1, first.next());
        assertEquals(2, first.next());
        // A restarted vswitchd is a new instance reading the same directory.
        LinkGenerations restarted = new LinkGenerations(dir);
        assertEquals(2, restarted.last());
        assertEquals(3, restarted.next());
        assertEquals("00000000000000000003\n", Files.readString(dir.resolve(LinkGenerations.COUNTER_FILE)));
    }

    @Test
    void anExistingLinkRegionKeepsItsGenerationFromBeingReusedEvenWithoutTheCounter() throws IOException {
        LinkGenerations generations = new LinkGenerations(dir);
        generations.next();
        Files.createFile(dir.resolve("shunt-link-br0-1-2-40"));
        Files.delete(generations.counterFile());
        assertEquals(41, new LinkGenerations(dir).next());
    }

    @Test
    void aCorruptCounterFileIsAClearError() throws IOException {
        Files.writeString(dir.resolve(LinkGenerations.COUNTER_FILE), "seven\n");
        IOException e = assertThrows(IOException.class, () -> new LinkGenerations(dir).next());
        assertTrue(e.getMessage().contains(LinkGenerations.COUNTER_FILE) && e.getMessage().contains("'seven'"),
                e.getMessage());
        assertEquals("seven\n", Files.readString(dir.resolve(LinkGenerations.COUNTER_FILE)), "nothing overwritten");
    }

    @Test
    void twoThreadsWithTheirOwnInstancesNeverDrawTheSameGeneration() throws Exception {
        Set<Long> drawn = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 2; t++) {
            LinkGenerations own = new LinkGenerations(dir);
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        drawn.add(own.next());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        assertEquals(List.of(), failures);
        assertEquals(200, drawn.size());
        assertEquals(200L, new LinkGenerations(dir).last());
    }

    @Test
    void twoProcessesNeverDrawTheSameGeneration() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> children = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            children.add(new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), GenerationDrawer.class.getName(), dir.toString(), "100")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        Set<Long> drawn = new HashSet<>();
        int lines = 0;
        for (Process child : children) {
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "drawer did not finish");
            assertEquals(0, child.exitValue());
            for (String line : out.split("\n")) {
                drawn.add(Long.parseLong(line.strip()));
                lines++;
            }
        }
        assertEquals(200, lines);
        assertEquals(200, drawn.size(), "a generation was drawn twice");
        assertEquals(200L, new LinkGenerations(dir).last());
    }
}
