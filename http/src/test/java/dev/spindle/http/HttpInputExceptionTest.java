package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.http.HttpInputException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpInputExceptionTest {
    @ParameterizedTest
    @CsvSource({
        "CONTENT_LENGTH_WITH_TRANSFER_ENCODING, 400", "DUPLICATE_CONTENT_LENGTH, 400", "BAD_CHUNK_SIZE, 400",
        "UNKNOWN_TRANSFER_ENCODING, 501", "UNSUPPORTED_VERSION, 505", "REQUEST_LINE_TOO_LONG, 414",
        "STATUS_LINE_TOO_LONG, 400", "HEADERS_TOO_LARGE, 431", "TOO_MANY_HEADERS, 431", "BODY_TOO_LARGE, 413",
        "MISSING_HOST, 400", "PREMATURE_EOF, 400", "BAD_FORM_ENCODING, 400",
    })
    void reasonCarriesTheStatusToAnswerWith(Reason reason, int status) {
        assertEquals(status, reason.status());
        assertEquals(status, new HttpInputException(reason, "x").status());
    }

    @Test
    void messageNamesReasonStatusAndDetail() {
        HttpInputException e = new HttpInputException(Reason.BAD_CHUNK_SIZE, "chunk size is not hex: \"zz\"");
        assertEquals("BAD_CHUNK_SIZE (400): chunk size is not hex: \"zz\"", e.getMessage());
        assertEquals(Reason.BAD_CHUNK_SIZE, e.reason());
    }
}
