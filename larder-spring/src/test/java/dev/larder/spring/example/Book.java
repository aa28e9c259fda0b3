package dev.larder.spring.example;

import java.io.Serializable;

/**
 * A book, as the example caches it.
 *
 * @param isbn the key
 * @param title the title
 * @param author the author, which its cache entry is tagged with
 * @param computedBy the process that computed this value: shows whether a result came from the cache
 */
public record Book(String isbn, String title, String author, long computedBy) implements Serializable {}
