package dev.portcullis.proxy.examples;

import dev.portcullis.proxy.testing.EmulatedTraefik;
import dev.portcullis.proxy.testing.EmulatedTraefik.ForwardAuth;
import dev.portcullis.proxy.testing.EmulatedTraefik.Router;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/**
 * The routers of a Traefik dynamic configuration as {@link EmulatedTraefik} serves them, read from
 * Docker labels ({@code docker-compose.yml}, or a {@code docker run -l} list) or from the file
 * provider's YAML. Only what forward-auth needs is read: {@code Host(`…`)} rules, {@code tls}, the
 * {@code forwardAuth} middleware a router names, and its service's address.
 */
final class TraefikConfiguration {
    private TraefikConfiguration() {}

    /** The routers of every service's {@code labels} in a Compose file. */
    @SuppressWarnings("unchecked")
    static List<Router> fromCompose(String composeYaml) {
        Map<String, Object> services = (Map<String, Object>) new Yaml().<Map<String, Object>>load(composeYaml).get("services");
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            Map<String, String> set = new LinkedHashMap<>();
            for (Object label : (List<Object>) ((Map<String, Object>) service).getOrDefault("labels", List.of())) {
                String text = String.valueOf(label);
                set.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
            }
            labels.put(name, set);
        });
        return fromLabels(labels);
    }

    /** The routers of the {@code -l 'key=value'} labels of {@code docker run --name NAME …} commands. */
    static List<Router> fromDockerRun(String script) {
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        for (String command : script.split("docker run ")) {
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("--name (\\S+)").matcher(command);
            if (!name.find()) {
                continue;
            }
            Map<String, String> set = new LinkedHashMap<>();
            java.util.regex.Matcher label = java.util.regex.Pattern.compile("-l '([^=']+)=([^']*)'").matcher(command);
            while (label.find()) {
                set.put(label.group(1), label.group(2));
            }
            labels.put(name.group(1), set);
        }
        return fromLabels(labels);
    }

    /** The routers of Docker labels, by container name. */
    static List<Router> fromLabels(Map<String, Map<String, String>> labelsByContainer) {
        Map<String, ForwardAuth> middlewares = new LinkedHashMap<>();
        labelsByContainer.values().forEach(labels -> labels.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            if (key.startsWith("traefik.http.middlewares.") && parts.length == 6 && parts[4].equalsIgnoreCase("forwardauth")
                    && parts[5].equals("address")) {
                String prefix = "traefik.http.middlewares." + parts[3] + ".forwardauth.";
                middlewares.put(parts[3], new ForwardAuth(value,
                        Arrays.asList(labels.getOrDefault(prefix + "authResponseHeaders", "").split(",")),
                        Boolean.parseBoolean(labels.getOrDefault(prefix + "trustForwardHeader", "false"))));
            }
        }));
        List<Router> routers = new ArrayList<>();
        labelsByContainer.forEach((container, labels) -> labels.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            // a HostRegexp router (the guide's https-redirect on port 80) is not one the emulation serves
            if (key.startsWith("traefik.http.routers.") && parts.length == 5 && parts[4].equals("rule")
                    && value.startsWith("Host(`")) {
                String prefix = "traefik.http.routers." + parts[3] + ".";
                String port = labels.entrySet().stream()
                        .filter(e -> e.getKey().matches("traefik\\.http\\.services\\.[^.]+\\.loadbalancer\\.server\\.port"))
                        .map(Map.Entry::getValue).findFirst().orElse("80");
                Optional<ForwardAuth> auth = Optional.ofNullable(labels.get(prefix + "middlewares"))
                        .map(name -> middlewareOf(middlewares, name.replaceFirst("@.*$", "")));
                routers.add(new Router(Router.hostOf(value), Boolean.parseBoolean(labels.getOrDefault(prefix + "tls", "false")),
                        auth, URI.create("http://" + container + ":" + port)));
            }
        }));
        return routers;
    }

    /** The routers of a file provider's dynamic configuration. */
    @SuppressWarnings("unchecked")
    static List<Router> fromFileProvider(String yaml) {
        Map<String, Object> http = (Map<String, Object>) new Yaml().<Map<String, Object>>load(yaml).get("http");
        Map<String, ForwardAuth> middlewares = new LinkedHashMap<>();
        ((Map<String, Object>) http.getOrDefault("middlewares", Map.of())).forEach((name, middleware) -> {
            Map<String, Object> forwardAuth = (Map<String, Object>) ((Map<String, Object>) middleware).get("forwardAuth");
            if (forwardAuth != null) {
                middlewares.put(name, new ForwardAuth((String) forwardAuth.get("address"),
                        (List<String>) forwardAuth.getOrDefault("authResponseHeaders", List.of()),
                        Boolean.TRUE.equals(forwardAuth.get("trustForwardHeader"))));
            }
        });
        Map<String, Object> services = (Map<String, Object>) http.get("services");
        List<Router> routers = new ArrayList<>();
        ((Map<String, Object>) http.get("routers")).forEach((name, value) -> {
            Map<String, Object> router = (Map<String, Object>) value;
            Map<String, Object> loadBalancer = (Map<String, Object>) ((Map<String, Object>) services.get(router.get("service")))
                    .get("loadBalancer");
            String url = (String) ((List<Map<String, Object>>) loadBalancer.get("servers")).get(0).get("url");
            List<String> names = (List<String>) router.getOrDefault("middlewares", List.of());
            routers.add(new Router(Router.hostOf((String) router.get("rule")), router.containsKey("tls"),
                    names.stream().findFirst().map(m -> middlewareOf(middlewares, m)), URI.create(url)));
        });
        return routers;
    }

    private static ForwardAuth middlewareOf(Map<String, ForwardAuth> middlewares, String name) {
        ForwardAuth auth = middlewares.get(name);
        if (auth == null) {
            throw new IllegalArgumentException("no forwardAuth middleware named " + name + " (known: " + middlewares.keySet() + ")");
        }
        return auth;
    }
}
