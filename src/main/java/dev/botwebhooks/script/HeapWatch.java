package dev.botwebhooks.script;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What the garbage collector says is alive, for a run's memory limits (README "Security and
 * limits"): the heap after collections, and the part of it in the pools that hold only data which
 * survived a collection (survivor and old spaces). Under a collector without an eden space (ZGC,
 * Shenandoah) that part cannot be told from garbage and is never known.
 *
 * <p>Both can count garbage: the old space of a generational collector is collected long after
 * data in it died (an ended run's), and some collectors put large arrays a run drops straight into
 * it. So a limit that looks crossed is confirmed by {@link #collect} before a run is ended.
 */
final class HeapWatch {
  private static final List<MemoryPoolMXBean> HEAP =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .toList();

  private static final List<MemoryPoolMXBean> SURVIVED =
      HEAP.stream().anyMatch(p -> p.getName().contains("Eden"))
          ? HEAP.stream().filter(p -> !p.getName().contains("Eden")).toList()
          : List.of();

  /** The shortest time between two collections {@link #collect} asks for different runs. */
  private static final long COLLECT_INTERVAL_NANOS = 500_000_000L;

  /** Guarded by the class: written by {@link #collected} only. */
  private static final Map<String, Long> SURVIVED_AFTER_GC = new HashMap<>();
  private static volatile long survived = Long.MAX_VALUE;
  private static long lastCollect;
  private static Object lastRun;

  static {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!SURVIVED.isEmpty() && collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            HeapWatch::collected,
            n -> GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType()),
            null);
      }
    }
  }

  private HeapWatch() {}

  /**
   * Bytes in the survivor and old spaces as each was left by the last collection that touched it,
   * minor ones included, as the collector reports them when it ends; {@link Long#MAX_VALUE} until
   * a collection ended after this class was loaded.
   */
  static long survived() {
    return survived;
  }

  /** The same, as left by the last collection of each pool (a full one, after {@link #collect}). */
  static long survivedAtLastCollection() {
    return sum(SURVIVED);
  }

  /** Bytes of the whole heap in use after the last collection of each pool. */
  static long liveAtLastCollection() {
    return sum(HEAP);
  }

  /**
   * Collects the whole heap for run {@code run}, and says whether it did: a run that looks past a
   * limit is judged on what is alive, not on garbage a collection has not reached yet. Runs take
   * turns at most twice a second: a run that asks sooner than that after another run's collection
   * waits for its turn (paused, so that it cannot fill the heap meanwhile), but not past {@code
   * untilNanos} ({@link System#nanoTime}, its deadline) nor past an interrupt. A run that asks
   * again after its own collection is collected for at once: its caller asks at most once per
   * 256 MiB it allocates, and such a run may be filling the heap faster than twice a second.
   */
  static boolean collect(Object run, long untilNanos) {
    while (true) {
      long now = System.nanoTime();
      long wait;
      synchronized (HeapWatch.class) {
        wait =
            lastCollect == 0 || lastRun == run ? 0 : lastCollect + COLLECT_INTERVAL_NANOS - now;
        if (wait <= 0) {
          lastCollect = now;
          lastRun = run;
          break;
        }
      }
      if (now + wait - untilNanos > 0) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    System.gc();
    return true;
  }

  private static long sum(List<MemoryPoolMXBean> pools) {
    long used = 0;
    for (MemoryPoolMXBean pool : pools) {
      MemoryUsage afterGc = pool.getCollectionUsage();
      if (afterGc != null) {
        used += afterGc.getUsed();
      }
    }
    return used;
  }

  private static synchronized void collected(Notification notification, Object handback) {
    Map<String, MemoryUsage> after =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
            .getGcInfo()
            .getMemoryUsageAfterGc();
    for (MemoryPoolMXBean pool : SURVIVED) {
      MemoryUsage usage = after.get(pool.getName());
      if (usage != null) {
        SURVIVED_AFTER_GC.put(pool.getName(), usage.getUsed());
      }
    }
    survived = SURVIVED_AFTER_GC.values().stream().mapToLong(Long::longValue).sum();
  }
}
