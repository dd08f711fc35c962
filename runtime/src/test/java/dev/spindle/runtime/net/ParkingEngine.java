package dev.spindle.runtime.net;

import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLEngine} that, once armed, parks the coroutine calling it inside an unwrap or a
 * wrap that produced bytes, as the JDK's engine does when it meets a contended lock (the
 * session cache a client's NewSessionTicket goes into, shared with handshakes running off the
 * loop): a virtual thread that blocks on a monitor or a j.u.c lock unmounts, and the loop runs
 * other tasks meanwhile. Like the JDK's engine, it holds its own lock through an unwrap, a wrap
 * and a closeOutbound, so the parked coroutine still holds it. And like the JDK's engines, which
 * all take the NativePRNG's one lock for random bytes, the engines of one trap share a lock
 * through every unwrap and wrap, which the parked coroutine holds too. Everything else goes to
 * the JDK's engine.
 */
final class ParkingEngine extends SSLEngine {
    /** Which engine call parks. */
    enum Call { UNWRAP, WRAP }

    /** One armed park: where, what it waits for, and what it says when it parks. */
    private record Park(Call call, CompletableFuture<Void> gate, CompletableFuture<Void> parked) {}

    /** Arms the engines of one context: the next call of the kind that produces bytes on a coroutine parks. */
    static final class Trap {
        private final AtomicReference<Park> armed = new AtomicReference<>();
        /** The lock every engine of this trap takes in an unwrap and a wrap. */
        private final ReentrantLock shared = new ReentrantLock();
        /** Completes when a thread first has to wait for {@link #shared}. */
        private final CompletableFuture<Void> contended = new CompletableFuture<>();

        /** Completes once some engine call of this trap's engines had to wait for the shared lock. */
        CompletableFuture<Void> contended() {
            return contended;
        }

        private void lockShared() {
            if (!shared.tryLock()) {
                contended.complete(null);
                shared.lock();
            }
        }

        /** Arms the trap; the result completes once a coroutine parked in {@code call}, until {@code gate} completes. */
        CompletableFuture<Void> arm(Call call, CompletableFuture<Void> gate) {
            Park p = new Park(call, gate, new CompletableFuture<>());
            armed.set(p);
            return p.parked;
        }

        /** A context like {@code real} whose engines are {@code ParkingEngine}s armed by this trap. */
        SSLContext context(SSLContext real) {
            return new WrappingContext(real, (host, port) -> new ParkingEngine(
                    host == null ? real.createSSLEngine() : real.createSSLEngine(host, port), this));
        }

        private void maybePark(Call call, SSLEngineResult r) {
            Park p = armed.get();
            if (p != null && p.call == call && r.bytesProduced() > 0 && Thread.currentThread().isVirtual()
                    && armed.compareAndSet(p, null)) {
                p.parked.complete(null);
                p.gate.join(); // Parks the coroutine; its loop runs other tasks meanwhile.
            }
        }
    }

    private final SSLEngine delegate;
    private final Trap trap;
    /** The engine's lock, as the JDK's engine has one: held across a park. */
    private final ReentrantLock lock = new ReentrantLock();

    private ParkingEngine(SSLEngine delegate, Trap trap) {
        super(delegate.getPeerHost(), delegate.getPeerPort());
        this.delegate = delegate;
        this.trap = trap;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        return locked(Call.WRAP, () -> delegate.wrap(srcs, offset, length, dst));
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        return locked(Call.UNWRAP, () -> delegate.unwrap(src, dsts, offset, length));
    }

    /** An engine call of the delegate's. */
    private interface EngineCall {
        SSLEngineResult run() throws SSLException;
    }

    /** Runs {@code c} holding the engine's lock and the trap's, and parks there if the trap is armed for {@code call}. */
    private SSLEngineResult locked(Call call, EngineCall c) throws SSLException {
        lock.lock();
        try {
            trap.lockShared();
            try {
                SSLEngineResult r = c.run();
                trap.maybePark(call, r);
                return r;
            } finally {
                trap.shared.unlock();
            }
        } finally {
            lock.unlock();
        }
    }

    // Everything else as the JDK's engine.

    @Override public Runnable getDelegatedTask() { return delegate.getDelegatedTask(); }
    @Override public void closeInbound() throws SSLException { delegate.closeInbound(); }
    @Override public boolean isInboundDone() { return delegate.isInboundDone(); }
    @Override
    public void closeOutbound() {
        lock.lock();
        try {
            delegate.closeOutbound();
        } finally {
            lock.unlock();
        }
    }

    @Override public boolean isOutboundDone() { return delegate.isOutboundDone(); }
    @Override public String[] getSupportedCipherSuites() { return delegate.getSupportedCipherSuites(); }
    @Override public String[] getEnabledCipherSuites() { return delegate.getEnabledCipherSuites(); }
    @Override public void setEnabledCipherSuites(String[] suites) { delegate.setEnabledCipherSuites(suites); }
    @Override public String[] getSupportedProtocols() { return delegate.getSupportedProtocols(); }
    @Override public String[] getEnabledProtocols() { return delegate.getEnabledProtocols(); }
    @Override public void setEnabledProtocols(String[] protocols) { delegate.setEnabledProtocols(protocols); }
    @Override public SSLSession getSession() { return delegate.getSession(); }
    @Override public SSLSession getHandshakeSession() { return delegate.getHandshakeSession(); }
    @Override public void beginHandshake() throws SSLException { delegate.beginHandshake(); }
    @Override public HandshakeStatus getHandshakeStatus() { return delegate.getHandshakeStatus(); }
    @Override public void setUseClientMode(boolean mode) { delegate.setUseClientMode(mode); }
    @Override public boolean getUseClientMode() { return delegate.getUseClientMode(); }
    @Override public void setNeedClientAuth(boolean need) { delegate.setNeedClientAuth(need); }
    @Override public boolean getNeedClientAuth() { return delegate.getNeedClientAuth(); }
    @Override public void setWantClientAuth(boolean want) { delegate.setWantClientAuth(want); }
    @Override public boolean getWantClientAuth() { return delegate.getWantClientAuth(); }
    @Override public void setEnableSessionCreation(boolean flag) { delegate.setEnableSessionCreation(flag); }
    @Override public boolean getEnableSessionCreation() { return delegate.getEnableSessionCreation(); }
    @Override public SSLParameters getSSLParameters() { return delegate.getSSLParameters(); }
    @Override public void setSSLParameters(SSLParameters params) { delegate.setSSLParameters(params); }
    @Override public String getApplicationProtocol() { return delegate.getApplicationProtocol(); }
    @Override public String getHandshakeApplicationProtocol() { return delegate.getHandshakeApplicationProtocol(); }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        delegate.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return delegate.getHandshakeApplicationProtocolSelector();
    }

    /** An initialized context whose engines come from a factory. */
    private static final class WrappingContext extends SSLContext {
        WrappingContext(SSLContext real, BiFunction<String, Integer, SSLEngine> engines) {
            super(new SSLContextSpi() {
                @Override
                protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
                    throw new KeyManagementException("already initialized");
                }

                @Override protected SSLSocketFactory engineGetSocketFactory() { return real.getSocketFactory(); }
                @Override protected SSLServerSocketFactory engineGetServerSocketFactory() { return real.getServerSocketFactory(); }
                @Override protected SSLEngine engineCreateSSLEngine() { return engines.apply(null, -1); }
                @Override protected SSLEngine engineCreateSSLEngine(String host, int port) { return engines.apply(host, port); }
                @Override protected SSLSessionContext engineGetServerSessionContext() { return real.getServerSessionContext(); }
                @Override protected SSLSessionContext engineGetClientSessionContext() { return real.getClientSessionContext(); }
                @Override protected SSLParameters engineGetDefaultSSLParameters() { return real.getDefaultSSLParameters(); }
                @Override protected SSLParameters engineGetSupportedSSLParameters() { return real.getSupportedSSLParameters(); }
            }, real.getProvider(), real.getProtocol());
        }
    }
}
