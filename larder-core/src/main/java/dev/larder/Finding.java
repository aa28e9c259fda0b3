package dev.larder;

/**
 * One problem found by {@link Cache#check(boolean)}.
 *
 * @param kind what sort of problem
 * @param subject the key (printed readably) or the file it concerns
 * @param message what is wrong, in words
 * @param fixed whether {@code check(true)} repaired it
 */
public record Finding(Kind kind, String subject, String message, boolean fixed) {

  /** The sorts of problems {@code check} finds. */
  public enum Kind {
    /** A record that does not parse; the fix removes the entry. */
    CORRUPT_RECORD,
    /** A value whose bytes fail their checksum; the fix removes the entry. */
    CHECKSUM_MISMATCH,
    /** An entry whose value file is missing or has the wrong length; the fix removes the entry. */
    MISSING_FILE,
    /** A value file that no entry refers to (left by a crash); the fix deletes it. */
    ORPHAN_FILE,
    /** A temporary file left by a process that died while writing a value; the fix deletes it. */
    STALE_TEMP_FILE,
    /** An index (store order, expiry, tags) that disagrees with the entries; the fix rebuilds it. */
    INDEX_MISMATCH,
    /** The stored entry count or volume disagrees with the entries; the fix recomputes it. */
    COUNTER_MISMATCH,
    /** The storage engine reported damage while walking the data file; not fixable in place. */
    STORAGE_ERROR
  }

  @Override
  public String toString() {
    return kind + " " + subject + ": " + message + (fixed ? " (fixed)" : "");
  }
}
