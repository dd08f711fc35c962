package dev.spindle.modulepath;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.spawn;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.testing.LogRecorder;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/**
 * Code outside the runtime module (in the unnamed module, with {@code dev.spindle.runtime} on
 * the module path) using the runtime through its exported API only, and trying one package it
 * does not export. Prints one line per finding; exits with 3 if no loop can be created.
 */
public final class RuntimeClient {
    private RuntimeClient() {}

    public static void main(String[] args) throws Exception {
        Module runtime = IOLoop.class.getModule();
        System.out.println("module " + runtime.getName());
        System.out.println("exports " + runtime.getDescriptor().exports().stream()
                .map(ModuleDescriptor.Exports::toString).sorted().collect(Collectors.joining(", ")));
        CompletableFuture<String> registered = onMXBeanRegistration();
        IOLoop loop;
        try {
            loop = IOLoop.create();
        } catch (IllegalStateException e) {
            System.out.println("create failed: " + e.getMessage());
            System.exit(3);
            return;
        }
        try (loop) {
            System.out.println("coroutine returned " + loop.runSync(() -> await(spawn(() -> 42))));
            System.out.println("mxbean " + registered.get(30, TimeUnit.SECONDS) + " coroutines="
                    + ManagementFactory.getPlatformMBeanServer().getAttribute(
                            new ObjectName("dev.spindle:type=IOLoop,name=" + loop.name()), "CoroutineCount"));
            System.out.println("blocked-loop events " + blockTheLoop(loop));
        }
        try {
            Durations.toNanos(Duration.ZERO);
            System.out.println("internal package reachable");
        } catch (IllegalAccessError e) {
            System.out.println("internal package refused: " + e.getMessage());
        }
    }

    /** Completes with the name of the next loop MXBean registered. */
    private static CompletableFuture<String> onMXBeanRegistration() throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        NotificationListener listener = (n, handback) -> {
            if (n instanceof MBeanServerNotification r && r.getType().equals(MBeanServerNotification.REGISTRATION_NOTIFICATION)
                    && "IOLoop".equals(r.getMBeanName().getKeyProperty("type"))) {
                name.complete(r.getMBeanName().toString());
            }
        };
        server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
        return name;
    }

    /** Holds the carrier past the threshold; returns how many JFR events the detector committed. */
    private static long blockTheLoop(IOLoop loop) throws Exception {
        Path file = Files.createTempFile("module-path", ".jfr");
        try (Recording recording = new Recording(); LogRecorder log = LogRecorder.of("spindle.general")) {
            recording.enable("dev.spindle.BlockedLoop");
            recording.start();
            loop.setBlockingThreshold(Duration.ofMillis(50));
            loop.runSync(() -> {
                long end = System.nanoTime() + 200_000_000;
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
                return null;
            });
            System.out.println("detector logged: " + log.await(loop.name() + " blocked for", Duration.ofSeconds(30))
                    .getMessage().lines().findFirst().orElse(""));
            recording.stop();
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.spindle.BlockedLoop")).count();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
