package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpStatusTest {
    @ParameterizedTest
    @CsvSource({
        "100, Continue", "200, OK", "204, No Content", "304, Not Modified", "404, Not Found",
        "413, Content Too Large", "414, URI Too Long", "431, Request Header Fields Too Large",
        "505, HTTP Version Not Supported", "299, Unknown", "999, Unknown",
    })
    void reasonPhraseIsTheStandardOneOrUnknown(int code, String phrase) {
        assertEquals(phrase, HttpStatus.reasonPhrase(code));
    }
}
