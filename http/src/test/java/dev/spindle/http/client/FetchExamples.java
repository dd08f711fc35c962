package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The seed's three examples (Tornado's {@code synchronous_fetch}, {@code asynchronous_fetch} and
 * {@code async_fetch_manual}), compiled and run by {@link FetchExamplesTest}; the README shows
 * them line for line (ReadmeSnippetsTest checks it).
 */
public final class FetchExamples {
    private FetchExamples() {}

    // Blocking, outside any loop.
    public static String synchronousFetch(String url) {
        HttpClient httpClient = HttpClient.create();
        HttpResponse response = httpClient.fetch(url);
        return response.bodyText();
    }

    // In a coroutine.
    public static String asynchronousFetch(String url) {
        AsyncHttpClient httpClient = AsyncHttpClient.create();
        HttpResponse response = await(httpClient.fetch(url));
        return response.bodyText();
    }

    // With a future completed from a callback.
    public static CompletableFuture<String> asyncFetchManual(String url) {
        AsyncHttpClient httpClient = AsyncHttpClient.create();
        CompletableFuture<String> myFuture = new CompletableFuture<>();
        CompletableFuture<HttpResponse> fetchFuture = httpClient.fetch(url);
        fetchFuture.whenComplete((response, error) -> {
            if (error != null) myFuture.completeExceptionally(error);
            else myFuture.complete(response.bodyText());
        });
        return myFuture;
    }
}
