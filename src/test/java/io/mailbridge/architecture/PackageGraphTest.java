package io.mailbridge.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The map of the code a newcomer reads: which package uses which. It has no cycle (sub-packages count on
 * their own: imap.sync and imap.protocol importing each other would be one), and no package holds more
 * than 20 classes. A reference is an import, a wildcard import or a fully qualified name in code (comments
 * and strings are not code). Run it to print the graph: its output is the package map of docs.
 */
class PackageGraphTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.mailbridge((?:\\.[a-z][a-z0-9_]*)+)(?=\\.[A-Z*])");

    @Test
    void packagesFormNoCycle() throws IOException {
        Map<String, Set<String>> graph = graph();
        graph.forEach((from, to) -> System.out.println(from + " -> " + String.join(", ", to)));
        List<String> cycle = findCycle(graph);
        assertTrue(cycle.isEmpty(), "package cycle: " + String.join(" -> ", cycle));
    }

    @Test
    void noPackageHoldsMoreThanTwentyClasses() throws IOException {
        Map<String, Integer> sizes = new TreeMap<>();
        for (Path file : javaFiles()) {
            sizes.merge(packageOf(file), 1, Integer::sum);
        }
        sizes.forEach((pkg, n) -> assertTrue(n <= 20, pkg + " holds " + n + " classes"));
        assertTrue(sizes.containsKey("io.mailbridge.imap.sync"), "the scan found the packages: " + sizes.keySet());
    }

    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path file : javaFiles()) {
            String from = packageOf(file);
            Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(code(Files.readString(file)));
            while (m.find()) {
                String target = "io.mailbridge" + m.group(1);
                if (!target.equals(from)) {
                    to.add(target);
                }
            }
        }
        return graph;
    }

    /** The text without comments and string literals. */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ").replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    /** A cycle as a list of packages (first = last), or empty. */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // 1 on the path, 2 done
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return false;
        }
        path.add(node);
        if (s != null) {
            path.subList(0, path.indexOf(node)).clear();
            return true;
        }
        state.put(node, 1);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        state.put(node, 2);
        path.remove(path.size() - 1);
        return false;
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static String packageOf(Path file) {
        return MAIN.relativize(file.getParent()).toString().replace('/', '.');
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> cyclic = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"));
        assertTrue(findCycle(cyclic).containsAll(List.of("a", "b", "c")), findCycle(cyclic).toString());
        assertTrue(findCycle(Map.of("a", Set.of("b"), "b", Set.of())).isEmpty());
    }
}
