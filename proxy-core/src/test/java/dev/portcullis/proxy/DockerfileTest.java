package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.cli.Main;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.TestUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image as far as it can be checked without a Docker engine: reads the final stage
 * of {@code docker/Dockerfile}, runs exactly its {@code ENTRYPOINT} + {@code CMD}, with its
 * {@code ENV} and the Synology guide's environment, against the built jar (container paths mapped
 * to this machine: the runtime's java, the shaded jar, an empty config file in a temp dir), checks
 * that it serves, and runs the image's {@code HEALTHCHECK} script against it.
 *
 * <p>The jar is {@code proxy-core/target/portcullis.jar} from the last {@code package}; without
 * one (a clean {@code mvn test}), {@code -jar JAR} is replaced by this module's test class path
 * and {@code dev.portcullis.proxy.cli.Main}, and the rest of the command line is kept.
 */
class DockerfileTest {
    private static final String JAVA = "/opt/portcullis/bin/java";
    private static final String JAR = "/opt/portcullis/portcullis.jar";
    private static final String CONFIG = "/pomerium/config.yaml";
    private static final String SECRET = "4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=";
    private static final String AUTHENTICATE = "https://authenticate.int.nas.example";
    private static final Pattern LISTENING = Pattern.compile("listening on \\S*:(\\d+) ");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path repository;
    private static FinalStage image;
    private static String dockerfile;

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    /** The final stage's instructions that decide how the container starts. */
    record FinalStage(List<String> entrypoint, List<String> cmd, Map<String, String> env,
                      List<String> healthcheck, List<String> expose, String user, String workdir, String text) {}

    /** A started proxy: its process, the port it bound, and everything it printed. */
    record Started(Process process, int port, StringBuffer output) {}

    @BeforeAll
    static void readDockerfile() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("docker/Dockerfile"))) {
            here = here.getParent();
        }
        assertThat(here).as("docker/Dockerfile above " + Path.of("").toAbsolutePath()).isNotNull();
        repository = here;
        dockerfile = Files.readString(here.resolve("docker/Dockerfile"));
        image = parse(dockerfile);
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theFinalStageStartsTheJarWithTheConfigFileAsPomeriumsImageDoes() {
        assertThat(image.entrypoint()).first().isEqualTo(JAVA);
        assertThat(image.entrypoint()).containsSequence("-jar", JAR).endsWith(JAR);
        assertThat(image.entrypoint()).noneMatch(a -> a.startsWith("-Xmx"))
                .as("a fixed -Xmx would make JAVA_TOOL_OPTIONS=-Xmx… and MaxRAMPercentage useless")
                .anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage="));
        assertThat(image.entrypoint()).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(image.cmd()).containsExactly("--config", CONFIG);
        assertThat(image.env()).containsEntry("AUTOCERT_DIR", "/data/autocert").containsEntry("DATA_DIR", "/data");
        assertThat(image.expose()).contains("443", "80");
        assertThat(image.user()).isNotBlank().doesNotStartWith("0").doesNotStartWith("root");
        assertThat(image.text()).contains(": > " + CONFIG);
        assertThat(image.healthcheck()).isNotEmpty().noneMatch(a -> a.contains("java"));
        assertThat(dockerfile).contains("jlink", "jdk.crypto.ec", "jdk.unsupported", "java.naming");
    }

    /**
     * The class-data sharing archive records the heap and class-pointer layout of the run that made it;
     * a training run with other flags than the ENTRYPOINT's could make an archive the image never maps.
     */
    @Test
    void theClassDataArchiveIsMadeWithTheFlagsTheImageStartsWith() {
        Matcher training = Pattern.compile("JVM_FLAGS=\"([^\"]*)\"\\s+\\S*cds-training\\.sh (\\S+)").matcher(image.text());
        assertThat(training.find()).as("RUN JVM_FLAGS=\"…\" …/cds-training.sh ARCHIVE in the final stage").isTrue();
        List<String> entrypointFlags = image.entrypoint().subList(1, image.entrypoint().indexOf("-jar"));
        assertThat(entrypointFlags).contains("-XX:SharedArchiveFile=" + training.group(2));
        assertThat(List.of(training.group(1).split(" "))).isEqualTo(entrypointFlags.stream()
                .filter(a -> !a.startsWith("-XX:SharedArchiveFile=") && !a.startsWith("-Xlog:")).toList());
    }

    @Test
    void theImagesCommandLineServesTheSynologyGuidesEnvironment() throws Exception {
        try (TestUpstream upstream = new TestUpstream("httpbin")) {
            Started proxy = start(guideEnvironment(upstream, true));

            RawHttp.Answer ping = get(proxy, "localhost", "/ping", "*/*");
            assertThat(ping.status()).as(proxy.output().toString()).isEqualTo(200);
            assertThat(ping.text()).contains("\r\n\r\nOK");

            assertThat(get(proxy, "nothing.int.nas.example", "/", "text/html").status())
                    .as(proxy.output().toString()).isEqualTo(404);

            // Signing in starts with a redirect to the authenticate host; building it needs no call
            // to the identity provider (Google is only asked once the browser reaches sign_in).
            RawHttp.Answer signIn = get(proxy, "httpbin.int.nas.example:8443", "/headers", "text/html");
            assertThat(signIn.status()).as(proxy.output().toString()).isEqualTo(302);
            assertThat(header(signIn, "location")).startsWith(AUTHENTICATE + "/.pomerium/sign_in?")
                    .contains("httpbin.int.nas.example%3A8443%2Fheaders");
            assertThat(upstream.requests()).as("nothing reaches httpbin before sign-in").isEmpty();

            assertThat(healthcheck(Map.of("ADDRESS", "127.0.0.1:" + proxy.port(), "INSECURE_SERVER", "TRUE")))
                    .as("healthcheck against the running proxy").isZero();
            // The address from the mounted file when the environment has none.
            Files.writeString(dir.resolve("probe.yaml"), "insecure_server: true\naddress: \"127.0.0.1:" + proxy.port() + "\"\n");
            assertThat(healthcheck(Map.of("PORTCULLIS_CONFIG", dir.resolve("probe.yaml").toString())))
                    .as("healthcheck with address and insecure_server from the file").isZero();

            stop(proxy);
            assertThat(healthcheck(Map.of("ADDRESS", "127.0.0.1:" + proxy.port(), "INSECURE_SERVER", "TRUE")))
                    .as("healthcheck once the proxy is gone").isEqualTo(1);
        }
    }

    @Test
    void withoutSecretsTheImageGeneratesThemOnceIntoDataAndReadsThemAtTheNextStart() throws Exception {
        try (TestUpstream upstream = new TestUpstream("httpbin")) {
            Map<String, String> env = guideEnvironment(upstream, true);
            env.remove("COOKIE_SECRET");
            env.remove("SHARED_SECRET");
            Path file = dir.resolve("data").resolve("secrets.yaml");

            Started first = start(env);
            assertThat(first.output().toString()).contains("cookie_secret and shared_secret are not set: generated new"
                    + " ones and kept them in " + file + " (mode 0600)");
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String secrets = Files.readString(file);
            assertThat(first.output().toString()).doesNotContain(secrets.lines().filter(l -> l.startsWith("cookie_secret"))
                    .findFirst().orElseThrow().substring("cookie_secret: ".length()));
            stop(first);

            Started second = start(env);
            assertThat(second.output().toString()).contains("using the generated ones kept in " + file);
            assertThat(Files.readString(file)).isEqualTo(secrets);
            stop(second);
        }
    }

    @Test
    void theHealthcheckProbesHttpsWhenTheServerIsNotInsecure() throws Exception {
        try (TestUpstream upstream = new TestUpstream("httpbin")) {
            Started proxy = start(guideEnvironment(upstream, false));
            assertThat(healthcheck(Map.of("ADDRESS", "127.0.0.1:" + proxy.port())))
                    .as("healthcheck over HTTPS (self-signed certificate)\n" + proxy.output()).isZero();
        }
    }

    // ---------------------------------------------------------------- running the image's command

    /** The Synology guide's variables, plus ADDRESS on a loopback port 0 (443 is not bindable here). */
    private static Map<String, String> guideEnvironment(TestUpstream upstream, boolean insecure) {
        String policy = """
                - from: https://httpbin.int.nas.example
                  to: %s
                  policy:
                    - allow:
                        or:
                          - email:
                              is: your.email.address@gmail.com
                """.formatted(upstream.url());
        Map<String, String> env = new LinkedHashMap<>();
        if (insecure) {
            env.put("INSECURE_SERVER", "TRUE");
        }
        env.put("POLICY", Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)));
        env.put("COOKIE_SECRET", SECRET);
        env.put("SHARED_SECRET", SECRET);
        env.put("IDP_PROVIDER", "google");
        env.put("IDP_CLIENT_ID", "123456789-abc.apps.googleusercontent.com");
        env.put("IDP_CLIENT_SECRET", "not-a-real-secret");
        env.put("AUTHENTICATE_SERVICE_URL", AUTHENTICATE);
        env.put("ADDRESS", "127.0.0.1:0");
        return env;
    }

    /** Runs ENTRYPOINT + CMD with container paths mapped here, the image's ENV and {@code env}. */
    private Started start(Map<String, String> env) throws Exception {
        Map<String, String> paths = containerPaths();
        List<String> command = new ArrayList<>();
        for (String arg : concat(image.entrypoint(), image.cmd())) {
            command.add(paths.getOrDefault(arg, arg));
        }
        Path jar = Path.of(paths.get(JAR));
        if (!Files.exists(jar)) {
            int at = command.indexOf("-jar");
            command.set(at, "-cp");
            command.set(at + 1, System.getProperty("java.class.path"));
            command.add(at + 2, Main.class.getName());
        }
        Path workdir = Files.createDirectories(dir.resolve("workdir"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        image.env().forEach((k, v) -> builder.environment().put(k, paths.getOrDefault(v, v)));
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        StringBuffer output = new StringBuffer("command: " + String.join(" ", command) + "\n");
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "proxy-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(output);
            if (m.find()) {
                return new Started(process, Integer.parseInt(m.group(1)), output);
            }
            if (!process.isAlive()) {
                Thread.sleep(200);
                fail("the image's command exited with " + process.exitValue() + ":\n" + output);
            }
            Thread.sleep(50);
        }
        return fail("the image's command did not start listening within 60 s:\n" + output);
    }

    /** Container path → path here; the jar is copied, so that a concurrent rebuild cannot change it under the JVM. */
    private Map<String, String> containerPaths() throws IOException {
        Path config = Files.createDirectories(dir.resolve("pomerium")).resolve("config.yaml");
        Files.write(config, new byte[0]);
        Path built = repository.resolve("proxy-core/target/portcullis.jar");
        Path jar = dir.resolve("portcullis.jar");
        if (Files.exists(built)) {
            Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put(JAVA, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        paths.put(JAR, jar.toString());
        paths.put(CONFIG, config.toString());
        paths.put("/data/autocert", Files.createDirectories(dir.resolve("autocert")).toString());
        paths.put("/data", Files.createDirectories(dir.resolve("data")).toString());
        return paths;
    }

    private static void stop(Started proxy) throws InterruptedException {
        proxy.process().destroy();
        assertThat(proxy.process().waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM\n" + proxy.output()).isTrue();
    }

    private static RawHttp.Answer get(Started proxy, String host, String path, String accept) throws IOException {
        return RawHttp.send(proxy.port(), "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: " + accept
                + "\r\nConnection: close\r\n\r\n");
    }

    private static String header(RawHttp.Answer answer, String name) {
        for (String line : answer.text().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return fail("no " + name + " header in\n" + answer.text());
    }

    // ---------------------------------------------------------------- the HEALTHCHECK

    /**
     * Runs the HEALTHCHECK's script with {@code sh}, as Docker would inside the image, and returns
     * its exit code. The script calls {@code busybox wget}; where busybox is not installed, a
     * stand-in on PATH translates the same arguments to curl (no certificate check only when the
     * script asks for it, as busybox does).
     */
    private int healthcheck(Map<String, String> env) throws Exception {
        String script = image.healthcheck().get(image.healthcheck().size() - 1);
        assertThat(script).isEqualTo("/opt/portcullis/healthcheck.sh");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        if (!onPath("busybox")) {
            Path busybox = bin.resolve("busybox");
            Files.writeString(busybox, """
                    #!/bin/sh
                    # stands in for `busybox wget -q [--no-check-certificate] -O - URL`
                    [ "$1" = wget ] || exit 127
                    shift; insecure=; url=
                    while [ $# -gt 0 ]; do
                      case $1 in
                        -q) ;; -O) shift ;;
                        --no-check-certificate) insecure=-k ;;
                        *) url=$1 ;;
                      esac
                      shift
                    done
                    exec curl -fsS $insecure --max-time 10 "$url"
                    """);
            Files.setPosixFilePermissions(busybox, PosixFilePermissions.fromString("rwxr-xr-x"));
            path = bin + ":" + path;
        }
        ProcessBuilder builder = new ProcessBuilder("sh", repository.resolve("docker/healthcheck.sh").toString())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", path);
        builder.environment().put("PORTCULLIS_CONFIG", dir.resolve("pomerium/config.yaml").toString());
        builder.environment().putAll(env);
        Process probe = builder.start();
        StringBuffer output = new StringBuffer();
        copy(probe.getInputStream(), output);
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).as("probe finished").isTrue();
        System.out.println("healthcheck " + env + ": exit " + probe.exitValue() + " " + output);
        return probe.exitValue();
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- reading the Dockerfile

    /**
     * The last stage (from its {@code FROM}), with continuation lines joined and comments dropped.
     * ENTRYPOINT, CMD and HEALTHCHECK's CMD must be in JSON (exec) form: the shell form would
     * put {@code /bin/sh -c} in front and change how signals reach the JVM.
     */
    static FinalStage parse(String dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n", -1)) {
            String stripped = line.strip();
            if (current.isEmpty() && (stripped.isEmpty() || stripped.startsWith("#"))) {
                continue;
            }
            if (!current.isEmpty() && stripped.startsWith("#")) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
            } else {
                current.append(stripped);
                instructions.add(current.toString());
                current.setLength(0);
            }
        }
        int last = -1;
        for (int i = 0; i < instructions.size(); i++) {
            if (keyword(instructions.get(i)).equals("FROM")) {
                last = i;
            }
        }
        assertThat(last).as("a FROM in docker/Dockerfile").isNotNegative();
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        List<String> healthcheck = List.of();
        List<String> expose = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        String user = "";
        String workdir = "/";
        StringBuilder text = new StringBuilder();
        for (String instruction : instructions.subList(last, instructions.size())) {
            text.append(instruction).append('\n');
            String rest = instruction.substring(keyword(instruction).length()).strip();
            switch (keyword(instruction)) {
                case "ENTRYPOINT" -> entrypoint = jsonArray("ENTRYPOINT", rest);
                case "CMD" -> cmd = jsonArray("CMD", rest);
                case "ENV" -> env.putAll(envPairs(rest));
                case "EXPOSE" -> expose.addAll(List.of(rest.split("\\s+")));
                case "USER" -> user = rest;
                case "WORKDIR" -> workdir = rest;
                case "HEALTHCHECK" -> {
                    int at = rest.indexOf("CMD ");
                    assertThat(at).as("HEALTHCHECK … CMD […]: " + rest).isNotNegative();
                    healthcheck = jsonArray("HEALTHCHECK CMD", rest.substring(at + 4).strip());
                }
                default -> { }
            }
        }
        return new FinalStage(entrypoint, cmd, env, healthcheck, expose, user, workdir, text.toString());
    }

    private static String keyword(String instruction) {
        int space = instruction.indexOf(' ');
        return (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase();
    }

    private static List<String> jsonArray(String what, String text) throws IOException {
        assertThat(text).as(what + " in JSON (exec) form").startsWith("[");
        return List.of(JSON.readValue(text, String[].class));
    }

    /** {@code ENV K=V K2="V 2"}, or the older {@code ENV K V}. */
    private static Map<String, String> envPairs(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (!text.contains("=") || text.indexOf(' ') >= 0 && text.indexOf(' ') < text.indexOf('=')) {
            int space = text.indexOf(' ');
            pairs.put(text.substring(0, space), text.substring(space + 1).strip());
            return pairs;
        }
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)").matcher(text);
        while (m.find()) {
            String value = m.group(2);
            if (value.startsWith("\"")) {
                value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            pairs.put(m.group(1), value);
        }
        return pairs;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void copy(InputStream in, StringBuffer into) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            into.append("\n[reading the output failed: ").append(e).append("]\n");
        }
    }
}
