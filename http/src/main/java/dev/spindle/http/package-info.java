/**
 * The HTTP message model shared by Spindle's server and client (Tornado: {@code tornado.httputil}):
 * {@link dev.spindle.http.HttpHeaders}, the start lines {@link dev.spindle.http.RequestStartLine}
 * and {@link dev.spindle.http.ResponseStartLine}, status reason phrases
 * ({@link dev.spindle.http.HttpStatus}) and {@link dev.spindle.http.HttpInputException} for peers
 * that break HTTP.
 *
 * <p>Each type states its thread affinity: immutable values are thread-safe, mutable ones such as
 * {@code HttpHeaders} are loop-confined.
 */
package dev.spindle.http;
