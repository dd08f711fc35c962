package dev.spindle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.modulepath.RuntimeClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runtime as a JPMS module: a child JVM with the built module on {@code --module-path} and
 * a client in the unnamed module ({@link RuntimeClient}), which uses exported API only.
 */
@Timeout(120)
class ModulePathTest {
    private static final Path MODULE = ChildJvm.locationOf(IOLoop.class);
    private static final Path CLIENT = ChildJvm.locationOf(RuntimeClient.class);

    private static ChildJvm.Result runClient(String opens) throws Exception {
        return ChildJvm.run(List.of("--module-path", MODULE.toString(), "--add-modules", "dev.spindle.runtime",
                "--add-opens", opens, "-cp", CLIENT.toString()), RuntimeClient.class);
    }

    @Test
    void onTheModulePathTheModuleFlagIsEnoughAndOnlyTheApiPackagesAreExported() throws Exception {
        ChildJvm.Result r = runClient("java.base/java.lang=dev.spindle.runtime");
        String out = r.output();
        assertEquals(0, r.exitCode(), out);
        assertTrue(out.contains("module dev.spindle.runtime\n"), out);
        assertTrue(out.contains("exports dev.spindle.runtime, dev.spindle.runtime.internal to [dev.spindle.http],"
                + " dev.spindle.runtime.net, dev.spindle.runtime.sync, dev.spindle.runtime.testing\n"), out);
        assertTrue(out.contains("coroutine returned 42"), out);
        assertTrue(out.contains("mxbean dev.spindle:type=IOLoop,name=IOLoop-1 coroutines=0"), out);
        assertTrue(out.contains("detector logged: IOLoop-1 blocked for"), out);
        assertTrue(out.contains("blocked-loop events 1"), out);
        assertTrue(out.contains("internal package refused: "), out);
        assertTrue(out.contains("module dev.spindle.runtime does not export dev.spindle.runtime.internal to unnamed"
                + " module"), out);
    }

    @Test
    void onTheModulePathTheClassPathFlagIsNotEnoughAndTheMessageGivesBothForms() throws Exception {
        ChildJvm.Result r = runClient("java.base/java.lang=ALL-UNNAMED");
        String out = r.output();
        assertEquals(3, r.exitCode(), out);
        assertTrue(out.contains("create failed: "), out);
        assertTrue(out.contains("--add-opens java.base/java.lang=ALL-UNNAMED when Spindle is on the class path"), out);
        assertTrue(out.contains("--add-opens java.base/java.lang=dev.spindle.runtime when it is on the module path"),
                out);
        assertTrue(out.contains("here it is on the module path"), out);
        assertTrue(out.contains("<argLine>--add-opens java.base/java.lang=dev.spindle.runtime</argLine>"), out);
    }
}
