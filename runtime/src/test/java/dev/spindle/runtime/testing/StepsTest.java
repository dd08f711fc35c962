package dev.spindle.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepsTest {
    @Test
    void stepsInOrderPass() {
        Steps steps = new Steps();
        steps.expect(1);
        steps.expect(2);
        steps.finish(3);
        steps.check();
        assertTrue(steps.isFinished());
    }

    @Test
    void aStepOutOfOrderThrowsAndIsKept() {
        Steps steps = new Steps();
        AssertionError e = assertThrows(AssertionError.class, () -> steps.expect(2));
        assertTrue(e.getMessage().contains("step 2 came where step 1 was expected"), e.getMessage());
        assertThrows(AssertionError.class, steps::check);
    }

    @Test
    void unfinishedStepsFailTheCheck() {
        Steps steps = new Steps();
        steps.expect(1);
        assertThrows(AssertionError.class, steps::check);
    }
}
