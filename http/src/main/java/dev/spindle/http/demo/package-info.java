/**
 * The main job: a real-time chat over long polling in the wire format of Tornado's chat demo
 * ({@link dev.spindle.http.demo.ChatServer}), which the README's main command starts, and the
 * pieces the runnable servers share: {@link dev.spindle.http.demo.ConsoleLogHandler}, which
 * keeps console writes off the loop, and {@link dev.spindle.http.demo.ParentWatch}, which stops
 * a server forked by {@code mvn exec:exec} when Maven is killed.
 *
 * <p>Each type states its thread affinity in its description.
 */
package dev.spindle.http.demo;
