package io.shunt.agent.libvirt;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The {@code <shmem>} devices of one domain, read from its live XML
 * ({@code virDomainGetXMLDesc}): a port region given at definition time, or a link plugged since.
 *
 * @param domain  the domain name
 * @param shmems  its shmem devices, in document order
 */
public record DomainShmems(String domain, List<Shmem> shmems) {
    /**
     * One {@code <shmem>} element.
     *
     * @param name  the shmem name (= region name; the backing file is {@code /dev/shm/<name>})
     * @param model the model type ({@code ivshmem-plain})
     * @param bytes the device size in bytes
     * @param alias libvirt's device alias ({@code shmem0}, ...), or {@code null} on an inactive domain
     */
    public record Shmem(String name, String model, long bytes, String alias) {
        /** The device XML that names this device for {@code detachDeviceFlags} (libvirt matches name, model and size). */
        public String deviceXml() {
            return "<shmem name='" + name + "'>\n"
                    + "  <model type='" + model + "'/>\n"
                    + "  <size unit='b'>" + bytes + "</size>\n"
                    + "</shmem>\n";
        }
    }

    public DomainShmems {
        shmems = List.copyOf(shmems);
    }

    /** The shmem named {@code name}, if the domain has one. */
    public Optional<Shmem> find(String name) {
        return shmems.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The shmem whose libvirt alias is {@code alias}. */
    public Optional<Shmem> byAlias(String alias) {
        return shmems.stream().filter(s -> alias.equals(s.alias())).findFirst();
    }

    /**
     * Parses a domain's XML. External entities and DTDs are refused (the XML comes from
     * libvirtd, but a parser that resolves entities has no place in a privileged agent).
     */
    public static DomainShmems parse(String domain, String xml) throws IOException {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            document = builder.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("domain " + domain + ": its XML does not parse: " + e.getMessage(), e);
        }
        List<Shmem> shmems = new ArrayList<>();
        NodeList elements = document.getElementsByTagName("shmem");
        for (int i = 0; i < elements.getLength(); i++) {
            Element shmem = (Element) elements.item(i);
            String name = shmem.getAttribute("name");
            Element model = child(shmem, "model");
            Element size = child(shmem, "size");
            Element alias = child(shmem, "alias");
            shmems.add(new Shmem(name, model == null ? "ivshmem-plain" : model.getAttribute("type"),
                    size == null ? 0 : bytes(domain, name, size), alias == null ? null : alias.getAttribute("name")));
        }
        return new DomainShmems(domain, shmems);
    }

    private static Element child(Element parent, String tag) {
        NodeList children = parent.getElementsByTagName(tag);
        return children.getLength() == 0 ? null : (Element) children.item(0);
    }

    /** libvirt's scaled integers: unit b/bytes, K/KiB, M/MiB, G/GiB (powers of 1024), KB/MB/GB (of 1000). */
    private static long bytes(String domain, String name, Element size) throws IOException {
        String unit = size.getAttribute("unit");
        long value;
        try {
            value = Long.parseLong(size.getTextContent().strip());
        } catch (NumberFormatException e) {
            throw new IOException("domain " + domain + ": shmem " + name + " has size '" + size.getTextContent() + "'");
        }
        long scale = switch (unit.isEmpty() ? "b" : unit) {
            case "b", "bytes" -> 1L;
            case "k", "K", "KiB" -> 1L << 10;
            case "KB" -> 1000L;
            case "m", "M", "MiB" -> 1L << 20;
            case "MB" -> 1000L * 1000;
            case "g", "G", "GiB" -> 1L << 30;
            case "GB" -> 1000L * 1000 * 1000;
            default -> throw new IOException("domain " + domain + ": shmem " + name + " has size unit '" + unit + "'");
        };
        return Math.multiplyExact(value, scale);
    }
}
