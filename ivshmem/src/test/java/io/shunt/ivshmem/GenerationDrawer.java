package io.shunt.ivshmem;

import java.nio.file.Path;

/** Child process of {@link LinkGenerationsTest}: draws {@code args[1]} generations in {@code args[0]}, one per line. */
public final class GenerationDrawer {
    private GenerationDrawer() {
    }

    public static void main(String[] args) throws Exception {
        LinkGenerations generations = new LinkGenerations(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(generations.next()).append('\n');
        }
        System.out.print(out);
        System.out.flush();
    }
}
