/**
 * The {@code larder} command line: one picocli command class per subcommand ({@code put}, {@code
 * get}, {@code delete}, {@code incr}, {@code keys}, {@code stats}, {@code check}), started by
 * {@link dev.larder.cli.Main}. Each run opens the cache directory, does one thing and closes it;
 * exceptions become exit codes in one place, {@code ErrorHandler}.
 */
package dev.larder.cli;
