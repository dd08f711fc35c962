package dev.spindle.http;

import dev.spindle.runtime.testing.TestCertificates;

/**
 * The certificates of the http module's TLS tests, made once per test JVM at first use (keytool
 * takes about a second each) and never changed; their files go when the JVM exits. Call them
 * off any loop first, e.g. in {@code @BeforeAll}.
 */
public final class Certificates {
    private Certificates() {}

    /** A CA and a server certificate for {@code localhost} and {@code 127.0.0.1}. */
    public static TestCertificates localhost() {
        return Shared.LOCALHOST;
    }

    /** Another CA, and a certificate it signed for {@code other.test} only: untrusted by, and wrong for, the first. */
    public static TestCertificates other() {
        return Shared.OTHER;
    }

    /** Makes both sets now, off any loop. */
    public static void make() {
        localhost();
        other();
    }

    private static final class Shared {
        static final TestCertificates LOCALHOST = TestCertificates.create("localhost", "127.0.0.1");
        static final TestCertificates OTHER = TestCertificates.create("other.test");
    }
}
