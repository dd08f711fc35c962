/**
 * Small runnable programs showing Spindle's HTTP server, as Tornado's demos do;
 * {@link dev.spindle.http.examples.HelloServer} is the one the build runs with {@code exec:exec}.
 */
package dev.spindle.http.examples;
