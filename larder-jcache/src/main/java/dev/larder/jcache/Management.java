package dev.larder.jcache;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's MBeans with the platform MBean server under the names the specification
 * gives: {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>},
 * with {@code , : =} and newlines in the URI and name replaced by dots. Thread-safe.
 *
 * <p>Two cache managers with the same URI (one per class loader) have caches with the same names;
 * the first to register a name keeps it, as in the reference implementation.
 */
final class Management {
  /** The two kinds of cache MBean. */
  enum Kind {
    CONFIGURATION("CacheConfiguration"),
    STATISTICS("CacheStatistics");

    final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  private Management() {}

  static ObjectName name(String managerUri, String cacheName, Kind kind) {
    try {
      return new ObjectName("javax.cache:type=" + kind.type + ",CacheManager=" + safe(managerUri)
          + ",Cache=" + safe(cacheName));
    } catch (MalformedObjectNameException e) {
      throw new CacheException("cannot name the MBean of cache " + cacheName + ": " + e, e);
    }
  }

  private static String safe(String s) {
    return s == null ? "" : s.replaceAll(",|:|=|\n", ".");
  }

  /**
   * Registers {@code bean} under {@code name} unless something is registered there already.
   *
   * @return whether {@code bean} was registered
   */
  static boolean register(ObjectName name, Object bean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        return false;
      }
      server.registerMBean(bean, name);
      return true;
    } catch (InstanceAlreadyExistsException e) {
      return false; // registered concurrently by another cache of the same name: that one keeps it
    } catch (JMException e) {
      throw new CacheException("cannot register the MBean " + name + ": " + e, e);
    }
  }

  /** Unregisters whatever is registered under {@code name}. */
  static void unregister(ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException e) {
      // gone already
    } catch (JMException e) {
      throw new CacheException("cannot unregister the MBean " + name + ": " + e, e);
    }
  }
}
