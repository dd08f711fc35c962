/**
 * Helpers the {@code dev.spindle.http} module shares with the runtime: duration checks and the
 * logger names.
 *
 * <p><b>Internal, not API.</b> Exported only to {@code dev.spindle.http} (a qualified export in
 * {@code module-info}); it may change without notice.
 */
package dev.spindle.runtime.internal;
