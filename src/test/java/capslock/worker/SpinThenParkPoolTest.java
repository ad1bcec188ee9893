package capslock.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.spi.VertxServiceProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker threads wait awake only after a short task, and never lose one. A thread that spins
 * polls in {@link Thread#yield} (RUNNABLE); one that sleeps is WAITING in the queue's take.
 */
class SpinThenParkPoolTest {

  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final ThreadFactory threadFactory =
      task -> {
        Thread thread = new Thread(task, "spin-then-park-test");
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
      };
  private ExecutorService pool;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  @Test
  void afterAShortTaskTheThreadStaysAwakeAndTakesTheNextTask() throws Exception {
    // a minute's spin, and any task under a second counts as short
    pool = new SpinThenParkPool(60_000_000, 1_000_000).createExecutor(threadFactory, 1, 1);
    run(() -> {});
    Thread worker = threads.get(0);
    // spinning, it never sleeps: ask for long enough that a wrong pool would have fallen asleep
    assertEquals(Thread.State.RUNNABLE, stateWithin(worker, Thread.State.WAITING, 500));
    run(() -> {});
    assertEquals(1, threads.size());
  }

  @Test
  void afterALongTaskTheThreadSleepsAtOnce() throws Exception {
    // a minute's spin, but only tasks under 1 ms count as short
    pool = new SpinThenParkPool(60_000_000, 1_000).createExecutor(threadFactory, 1, 1);
    run(() -> busyFor(20));
    assertEquals(Thread.State.WAITING, stateWithin(threads.get(0), Thread.State.WAITING, 10_000));
    run(() -> {}); // woken as usual
  }

  @Test
  void withNoSpinTheThreadSleepsAtOnce() throws Exception {
    pool = new SpinThenParkPool(0, 1_000_000).createExecutor(threadFactory, 1, 1);
    run(() -> {});
    assertEquals(Thread.State.WAITING, stateWithin(threads.get(0), Thread.State.WAITING, 10_000));
    run(() -> {});
  }

  @Test
  void everyTaskFromManyThreadsRunsOnce() throws Exception {
    pool = new SpinThenParkPool(100, 50).createExecutor(threadFactory, 4, 4);
    int producers = 4;
    int tasksEach = 20_000;
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(producers * tasksEach);
    List<Thread> senders = new CopyOnWriteArrayList<>();
    for (int p = 0; p < producers; p++) {
      Thread sender =
          new Thread(
              () -> {
                for (int i = 0; i < tasksEach; i++) {
                  pool.execute(
                      () -> {
                        ran.incrementAndGet();
                        done.countDown();
                      });
                  if (i % 100 == 0) {
                    Thread.yield(); // let the workers catch up, sleep and be woken again
                  }
                }
              });
      senders.add(sender);
      sender.start();
    }
    assertTrue(done.await(30, TimeUnit.SECONDS), "tasks left undone: " + done.getCount());
    for (Thread sender : senders) {
      sender.join();
    }
    assertEquals(producers * tasksEach, ran.get());
  }

  @Test
  void aSingleCoreNeverSpinsAndThePropertySetsTheSpin() {
    assertEquals(0, SpinThenParkPool.spinMicros(1, null));
    assertEquals(0, SpinThenParkPool.spinMicros(1, "500"));
    assertEquals(100, SpinThenParkPool.spinMicros(2, null));
    assertEquals(250, SpinThenParkPool.spinMicros(8, " 250 "));
    assertEquals(0, SpinThenParkPool.spinMicros(2, "0"));
    assertEquals(0, SpinThenParkPool.spinMicros(2, "-3"));
    assertEquals(100, SpinThenParkPool.spinMicros(2, "fast"));
  }

  @Test
  void vertxFindsThePool() {
    assertTrue(
        ServiceLoader.load(VertxServiceProvider.class).stream()
            .anyMatch(provider -> provider.type() == SpinThenParkPool.class));
  }

  private void run(Runnable task) throws Exception {
    pool.submit(task).get(10, TimeUnit.SECONDS);
  }

  /** The thread's state once it is {@code awaited}, or after {@code millis} if it never is. */
  private static Thread.State stateWithin(Thread thread, Thread.State awaited, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    Thread.State state = thread.getState();
    while (state != awaited && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
      state = thread.getState();
    }
    return state;
  }

  private static void busyFor(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }
}
