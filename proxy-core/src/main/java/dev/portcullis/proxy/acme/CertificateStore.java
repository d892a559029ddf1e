package dev.portcullis.proxy.acme;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.digest.Sha256;
import dev.portcullis.proxy.tls.KeyPairCheck;
import dev.portcullis.proxy.tls.SubjectAltNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The files under {@code autocert_dir}: {@code account.key} (the ACME account's key pair) and, per
 * set of names, {@code NAME.crt} (the chain, leaf first) and {@code NAME.key} (PKCS#8), where NAME is
 * the single host name, or the first one and a digest of all for several. The directory is created
 * {@code 0700} and every file written {@code 0600}, through a temporary file moved into place, so a
 * reader never sees half a file. The key is written before the chain and {@link #load} checks that
 * they belong together, so a crash between the two writes costs a new order, never a broken pair.
 *
 * <p>For one process: {@link #lock} is always granted and nothing is {@link #watch watched}.
 * Blocking file I/O: call it from the autocert thread, never from an event loop.
 */
public final class CertificateStore implements AutocertStorage {
    private static final String ACCOUNT_KEY = "account.key";

    private final Path dir;

    /** A store in {@code dir}, which is created ({@code 0700}) when missing. */
    public CertificateStore(Path dir) throws IOException {
        this.dir = requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            if (posix()) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String description() {
        return "autocert_dir " + dir;
    }

    @Override
    public Optional<IssuanceLock> lock(Set<String> names) {
        return Optional.of(() -> { });
    }

    @Override
    public KeyPair accountKey() throws IOException {
        Path file = dir.resolve(ACCOUNT_KEY);
        String pem;
        try {
            pem = Files.readString(file);
        } catch (NoSuchFileException missing) {
            KeyPair key = newEcKey();
            write(file, accountKeyPem(key));
            return key;
        }
        return accountKey(pem, file.toString());
    }

    /** The text of an account key pair: its PKCS#8 private key, then its public key, as PEM. */
    static String accountKeyPem(KeyPair key) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject("PRIVATE KEY", key.getPrivate().getEncoded()));
            writer.writeObject(new PemObject("PUBLIC KEY", key.getPublic().getEncoded()));
        }
        return out.toString();
    }

    /** The account key pair of {@link #accountKeyPem}'s text, read from {@code where} (named in the message). */
    static KeyPair accountKey(String pem, String where) throws IOException {
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject privateKey = reader.readPemObject();
            PemObject publicKey = reader.readPemObject();
            if (privateKey == null || publicKey == null || !"PRIVATE KEY".equals(privateKey.getType())
                    || !"PUBLIC KEY".equals(publicKey.getType())) {
                throw new IOException(where + ": expected a PRIVATE KEY and a PUBLIC KEY block");
            }
            KeyFactory factory = KeyFactory.getInstance("EC");
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(publicKey.getContent())),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(privateKey.getContent())));
        } catch (GeneralSecurityException e) {
            throw new IOException(where + ": not an EC key pair (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A new EC P-256 key pair from the JDK's provider (acme4j's {@code KeyPairUtils} wants Bouncy
     * Castle registered as a global security provider, which Portcullis does not do).
     */
    static KeyPair newEcKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no EC P-256", e);
        }
    }

    @Override
    public Optional<IssuedCertificate> load(Set<String> names) throws IOException {
        Path chainFile = dir.resolve(baseName(names) + ".crt");
        Path keyFile = dir.resolve(baseName(names) + ".key");
        if (!Files.exists(chainFile) || !Files.exists(keyFile)) {
            return Optional.empty();
        }
        return checked(names, Files.readString(chainFile), Files.readString(keyFile));
    }

    /**
     * The certificate of this chain and key for {@code names}, when the key matches the leaf and the leaf covers
     * every name; empty for anything unreadable.
     */
    static Optional<IssuedCertificate> checked(Set<String> names, String chainPem, String keyPem) {
        try {
            List<X509Certificate> chain = certificates(chainPem);
            PrivateKey key = privateKey(keyPem);
            if (chain.isEmpty() || !KeyPairCheck.matches(key, chain.get(0).getPublicKey())
                    || !SubjectAltNames.of(chain.get(0)).dnsNames().containsAll(names)) {
                return Optional.empty();
            }
            X509Certificate leaf = chain.get(0);
            return Optional.of(new IssuedCertificate(names, chainPem, keyPem,
                    leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()));
        } catch (GeneralSecurityException | IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    @Override
    public void save(IssuedCertificate certificate) throws IOException {
        String base = baseName(certificate.names());
        write(dir.resolve(base + ".key"), certificate.keyPem());
        write(dir.resolve(base + ".crt"), certificate.chainPem());
    }

    /** A file name for a set of names: the host name itself when it is one, as DNS names are file-safe. */
    static String baseName(Set<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names: [] (expected: at least one host name)");
        }
        TreeSet<String> sorted = new TreeSet<>(names);
        String first = sorted.first().replace("*", "_wildcard_").replaceAll("[^A-Za-z0-9._-]", "_");
        if (sorted.size() == 1) {
            return first;
        }
        byte[] digest = Sha256.of(String.join(",", sorted).getBytes(StandardCharsets.UTF_8));
        return first + "+" + HexFormat.of().formatHex(digest, 0, 8);
    }

    private void write(Path target, String text) throws IOException {
        Path temporary = posix()
                ? Files.createTempFile(dir, ".tmp-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".tmp-", "");
        try {
            Files.writeString(temporary, text);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Collection<? extends java.security.cert.Certificate> parsed =
                factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        List<X509Certificate> chain = new ArrayList<>();
        for (java.security.cert.Certificate certificate : parsed) {
            chain.add((X509Certificate) certificate);
        }
        return chain;
    }

    static PrivateKey privateKey(String pem) throws GeneralSecurityException, IOException {
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject object = reader.readPemObject();
            if (object == null || !"PRIVATE KEY".equals(object.getType())) {
                throw new GeneralSecurityException("expected a PKCS#8 PRIVATE KEY");
            }
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(object.getContent());
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }

    static String privateKeyPem(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
        }
        return out.toString();
    }
}
