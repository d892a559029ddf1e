package dev.portcullis.proxy.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** One scrape of {@code /metrics}: every series (name with its labels, as printed) and its value. */
public record Scrape(String text, Map<String, Double> series) {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> get(int port, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public static Scrape of(int port, String... headers) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/metrics", headers);
        if (response.statusCode() != 200) {
            throw new AssertionError("scrape answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    static Scrape parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(text, series);
    }

    /** The value of {@code series}, or 0 when it is not there. */
    public double value(String series) {
        return this.series.getOrDefault(series, 0.0);
    }

    /** The series whose names start with one of {@code prefixes}. */
    public Set<String> seriesStartingWith(String... prefixes) {
        return series.keySet().stream().filter(s -> {
            for (String prefix : prefixes) {
                if (s.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }).collect(Collectors.toCollection(TreeSet::new));
    }
}
