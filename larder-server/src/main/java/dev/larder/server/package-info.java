/**
 * A memcached-protocol server (text and meta protocol) over a Larder cache directory: {@link
 * dev.larder.server.LarderServer}. Everything else in this package is internal.
 */
package dev.larder.server;
