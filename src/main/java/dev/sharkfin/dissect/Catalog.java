package dev.sharkfin.dissect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Every protocol Sharkfin decodes and every field it writes: the one place a field is named. The
 * protocols are the {@link Protocol} constants declared by the classes of this package, found when the
 * decoder registry is first built, so that adding a protocol is adding its decoder file; the registry
 * refuses two protocols that bind the same number or share a layer (see {@link DecoderRegistry}).
 */
public final class Catalog {
    private static final String PACKAGE = Catalog.class.getPackageName();

    /** The protocols, by name. */
    public static List<Protocol> protocols() {
        return DecoderRegistry.DEFAULT.protocols();
    }

    /** Every field of every protocol, protocol by protocol in declaration order. */
    public static List<Field> fields() {
        return Index.FIELDS;
    }

    /** The field at a document path ({@code tcp.tcp_srcport}, {@code mdns.dns_a}). */
    public static Optional<Field> byPath(String path) {
        return Optional.ofNullable(Index.BY_PATH.get(path));
    }

    /** The field of a Wireshark display-filter name ({@code tcp.srcport}); Sharkfin-only fields are not found. */
    public static Optional<Field> byWireshark(String name) {
        return Optional.ofNullable(Index.BY_WIRESHARK.get(name));
    }

    /** The field at a document path, or an exception naming it: for constants built from paths. */
    public static Field at(String path) {
        return byPath(path).orElseThrow(() -> new IllegalArgumentException("no field at " + path + " in the catalog"));
    }

    private static final class Index {
        static final List<Field> FIELDS;
        static final Map<String, Field> BY_PATH = new LinkedHashMap<>();
        static final Map<String, Field> BY_WIRESHARK = new LinkedHashMap<>();

        static {
            List<Field> all = new ArrayList<>();
            for (Protocol p : protocols()) {
                all.addAll(p.fields());
                for (Field f : p.fields()) {
                    f.paths().forEach(path -> BY_PATH.put(path, f));
                    if (!f.sharkfinOnly()) {
                        BY_WIRESHARK.put(f.wireshark(), f);
                    }
                }
            }
            FIELDS = Collections.unmodifiableList(all);
        }
    }

    /**
     * The protocols declared by this package's classes: every static {@link Protocol} field of every class
     * that sits beside this one (in the same folder or jar; test classes elsewhere on the class path are not
     * looked at), sorted by name.
     */
    static List<Protocol> declared() {
        URL self = Catalog.class.getResource(Catalog.class.getSimpleName() + ".class");
        if (self == null) {
            throw new IllegalStateException("Catalog.class cannot be found as a resource to scan its package");
        }
        String here = self.toString();
        String folder = here.substring(0, here.length() - (Catalog.class.getSimpleName() + ".class").length());
        Resource[] classes;
        try {
            classes = new PathMatchingResourcePatternResolver(Catalog.class.getClassLoader()).getResources(folder + "*.class");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the classes of " + PACKAGE + " at " + folder, e);
        }
        Set<Protocol> found = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Resource r : classes) {
            String file = r.getFilename();
            if (file == null || !file.endsWith(".class") || file.equals("package-info.class")) {
                continue;
            }
            String name = PACKAGE + "." + file.substring(0, file.length() - ".class".length());
            found.addAll(protocolsOf(name));
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no protocol found among the classes at " + folder);
        }
        List<Protocol> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing(Protocol::name));
        return sorted;
    }

    private static List<Protocol> protocolsOf(String className) {
        List<Protocol> out = new ArrayList<>();
        try {
            Class<?> c = Class.forName(className, false, Catalog.class.getClassLoader()); // initialized by reading a protocol
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == Protocol.class) {
                    f.setAccessible(true);
                    out.add((Protocol) f.get(null));
                }
            }
        } catch (ClassNotFoundException | IllegalAccessException e) {
            throw new IllegalStateException("cannot read the protocols of " + className, e);
        }
        return out;
    }

    private Catalog() {
    }
}
