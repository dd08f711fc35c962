package dev.spindle.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JDK's {@code keytool} to make the key pairs and certificates of
 * {@link TestCertificates}.
 *
 * <p><b>Thread-safe:</b> stateless; each call works in the directory it is given.
 */
final class Keytool {
    /** How long one keytool run may take: a JVM start on a loaded machine, and key generation. */
    private static final long TIMEOUT_SECONDS = 60;
    /** Options of keytool's own JVM that make it start faster. */
    private static final List<String> FAST_START = List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC",
            "-J-Xshare:auto");
    private static final List<String> VALIDITY = List.of("-startdate", "-1d", "-validity", "30");

    private Keytool() {}

    /**
     * Makes, in {@code dir}, a CA ({@code ca}) and a server key pair ({@code server}) whose
     * certificate the CA signed for {@code names}; returns them loaded, the key store file
     * deleted.
     */
    static KeyStore make(Path dir, List<String> names, char[] password) throws IOException, GeneralSecurityException {
        Path store = dir.resolve("made.p12");
        List<String> common = List.of("-keyalg", "EC", "-groupname", "secp256r1", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", new String(password), "-keypass", new String(password));
        try {
            String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            run(common, "-genkeypair", "-alias", "ca", "-dname", "CN=Spindle Test CA " + suffix, "-ext", "bc:c",
                    "-ext", "KU=keyCertSign,cRLSign");
            run(common, "-genkeypair", "-alias", "server", "-dname", "CN=" + names.get(0), "-signer", "ca",
                    "-ext", "SAN=" + subjectAlternativeNames(names), "-ext", "KU=digitalSignature",
                    "-ext", "EKU=serverAuth,clientAuth");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, password);
            }
            return ks;
        } finally {
            Files.deleteIfExists(store);
        }
    }

    /** keytool's SAN value: {@code dns:} for host names, {@code ip:} for IP addresses. */
    private static String subjectAlternativeNames(List<String> names) {
        List<String> san = new ArrayList<>();
        for (String n : names) {
            san.add((isIpAddress(n) ? "ip:" : "dns:") + n);
        }
        return String.join(",", san);
    }

    private static boolean isIpAddress(String s) {
        try {
            java.net.InetAddress.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void run(List<String> common, String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name").startsWith("Windows") ? "keytool.exe" : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("no keytool at " + keytool + ": TestCertificates needs a full JDK");
        }
        List<String> cmd = new ArrayList<>(List.of(keytool.toString()));
        cmd.addAll(FAST_START);
        cmd.addAll(List.of(args));
        cmd.addAll(common);
        cmd.addAll(VALIDITY);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("keytool " + args[0] + " did not finish within " + TIMEOUT_SECONDS + " s");
            } else if (p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed (exit " + p.exitValue()
                        + "): " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        } finally {
            p.destroyForcibly();
        }
    }
}
