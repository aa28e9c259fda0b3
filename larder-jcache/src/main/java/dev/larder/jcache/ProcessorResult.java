package dev.larder.jcache;

import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/** The result of an entry processor for one key of {@code invokeAll}: a value or a failure. Immutable. */
final class ProcessorResult<T> implements EntryProcessorResult<T> {
  private final T value;
  private final EntryProcessorException failure;

  private ProcessorResult(T value, EntryProcessorException failure) {
    this.value = value;
    this.failure = failure;
  }

  static <T> ProcessorResult<T> of(T value) {
    return new ProcessorResult<>(value, null);
  }

  static <T> ProcessorResult<T> failed(Exception e) {
    return new ProcessorResult<>(null,
        e instanceof EntryProcessorException ? (EntryProcessorException) e : new EntryProcessorException(e));
  }

  @Override
  public T get() {
    if (failure != null) {
      throw failure;
    }
    return value;
  }
}
