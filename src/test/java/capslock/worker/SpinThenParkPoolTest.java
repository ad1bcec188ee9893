package capslock.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker threads wait awake only after a short task, wake as few threads as they can, and never
 * lose a task. A thread that spins polls in {@link Thread#yield} (RUNNABLE); one that sleeps is
 * WAITING, parked.
 */
@ExtendWith(VertxExtension.class)
class SpinThenParkPoolTest {

  /** A yield no other thread takes the core in, as on an idle machine: a test's spin lasts. */
  private static final BooleanSupplier NEVER_LATE =
      () -> {
        Thread.yield();
        return false;
      };

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
    pool =
        new SpinThenParkPool(60_000_000, 1_000_000, NEVER_LATE).createExecutor(threadFactory, 1, 1);
    run(() -> {});
    Thread worker = threads.get(0);
    // spinning, it never sleeps: ask for long enough that a wrong pool would have fallen asleep
    assertEquals(Thread.State.RUNNABLE, stateWithin(worker, Thread.State.WAITING, 500));
    run(() -> {});
    assertEquals(1, threads.size());
  }

  @Test
  void aYieldThatComesBackLateEndsTheSpinAndTheNextSpinsAreSkipped() throws Exception {
    // a minute's spin, whose every yield comes back late (as when other threads want the core)
    AtomicInteger yields = new AtomicInteger();
    BooleanSupplier alwaysLate =
        () -> {
          yields.incrementAndGet();
          return true;
        };
    pool =
        new SpinThenParkPool(60_000_000, 1_000_000, alwaysLate).createExecutor(threadFactory, 1, 1);
    // after each short task, how many yields so far: a late one, then one spin skipped, then two
    int[] expected = {1, 1, 2, 2, 2, 3};
    for (int task = 0; task < expected.length; task++) {
      runThenSleep(); // long before the minute is over
      assertEquals(expected[task], yields.get(), "yields after task " + (task + 1));
    }
  }

  @Test
  void aSpinWithoutALateYieldStartsTheSkippingAfresh() throws Exception {
    // spins of 50 ms, which end by themselves; yields late only while the test says so
    AtomicBoolean late = new AtomicBoolean(true);
    AtomicInteger lateYields = new AtomicInteger();
    BooleanSupplier yield =
        () -> {
          Thread.yield();
          if (!late.get()) {
            return false;
          }
          lateYields.incrementAndGet();
          return true;
        };
    pool = new SpinThenParkPool(50_000, 1_000_000, yield).createExecutor(threadFactory, 1, 1);
    runThenSleep(); // a late yield: the next spin skipped
    runThenSleep(); // skipped
    late.set(false);
    runThenSleep(); // 50 ms of yields, none late
    late.set(true);
    runThenSleep(); // a late yield again: one spin skipped, not two
    runThenSleep(); // skipped
    assertEquals(2, lateYields.get());
    runThenSleep();
    assertEquals(3, lateYields.get(), "the spin after one skipped yields again");
  }

  @Test
  void afterALongTaskTheThreadSleepsAtOnce() throws Exception {
    // a minute's spin, but only tasks under 1 ms count as short
    pool = new SpinThenParkPool(60_000_000, 1_000, NEVER_LATE).createExecutor(threadFactory, 1, 1);
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
  void aTaskThatInterruptsItsThreadLeavesItAsleepAfterwards() throws Exception {
    pool = new SpinThenParkPool(0, 1_000_000).createExecutor(threadFactory, 1, 1);
    run(() -> Thread.currentThread().interrupt());
    Thread worker = threads.get(0);
    assertEquals(Thread.State.WAITING, stateWithin(worker, Thread.State.WAITING, 10_000));
    // asleep, it takes no CPU (an interrupt left set would make it park and return, in a loop)
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long before = cpu.getThreadCpuTime(worker.getId());
    Thread.sleep(200); // the span measured, not a synchronisation
    long used = cpu.getThreadCpuTime(worker.getId()) - before;
    assertTrue(used < TimeUnit.MILLISECONDS.toNanos(50), "a sleeping thread used " + used + " ns");
    run(() -> {});
  }

  @Test
  void everyTaskFromManyThreadsRunsOnce() throws Exception {
    pool = new SpinThenParkPool(100, 50).createExecutor(threadFactory, 4, 4);
    int producers = 4;
    int tasksEach = 20_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(producers * tasksEach);
    CountDownLatch done = new CountDownLatch(producers * tasksEach);
    List<Thread> senders = new CopyOnWriteArrayList<>();
    for (int p = 0; p < producers; p++) {
      int first = p * tasksEach;
      Thread sender =
          new Thread(
              () -> {
                for (int i = 0; i < tasksEach; i++) {
                  int task = first + i;
                  pool.execute(
                      () -> {
                        runs.incrementAndGet(task);
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
    for (int task = 0; task < runs.length(); task++) {
      assertEquals(1, runs.get(task), "task " + task);
    }
  }

  @Test
  void aTaskThatThrowsLeavesItsThreadServing() throws Exception {
    pool = new SpinThenParkPool(0, 1_000_000).createExecutor(threadFactory, 1, 1);
    pool.execute(
        () -> {
          throw new IllegalStateException("a task's own failure, thrown on purpose by the test");
        });
    run(() -> {});
    assertEquals(1, threads.size());
    assertTrue(threads.get(0).isAlive());
  }

  @Test
  void shutdownWakesTheSleepingThreadsAndTheyEnd() throws Exception {
    pool = new SpinThenParkPool(0, 1_000_000).createExecutor(threadFactory, 2, 2);
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> runUntil(bothRunning, release));
    pool.execute(() -> runUntil(bothRunning, release));
    assertTrue(bothRunning.await(10, TimeUnit.SECONDS));
    release.countDown();
    for (Thread thread : threads) {
      assertEquals(Thread.State.WAITING, stateWithin(thread, Thread.State.WAITING, 10_000));
    }

    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void aTaskHandedOverWhileAThreadSpinsWakesNoOtherThread() throws Exception {
    pool =
        new SpinThenParkPool(60_000_000, 1_000_000, NEVER_LATE).createExecutor(threadFactory, 2, 2);
    for (int i = 0; i < 3; i++) {
      run(() -> {});
      // well after the task: the thread spins (a ThreadPoolExecutor would start a second thread)
      assertEquals(Thread.State.RUNNABLE, stateWithin(threads.get(0), Thread.State.WAITING, 200));
    }
    assertEquals(1, threads.size());
  }

  @Test
  void theThreadThatSleptLastIsWokenFirst() throws Exception {
    pool = new SpinThenParkPool(0, 1_000_000).createExecutor(threadFactory, 2, 2);
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch releaseSecond = new CountDownLatch(1);
    Future<Thread> first = pool.submit(() -> runUntil(bothRunning, releaseFirst));
    Future<Thread> second = pool.submit(() -> runUntil(bothRunning, releaseSecond));
    assertTrue(bothRunning.await(10, TimeUnit.SECONDS));
    releaseFirst.countDown();
    Thread sleptFirst = first.get(10, TimeUnit.SECONDS);
    assertEquals(Thread.State.WAITING, stateWithin(sleptFirst, Thread.State.WAITING, 10_000));
    releaseSecond.countDown();
    Thread sleptLast = second.get(10, TimeUnit.SECONDS);
    assertEquals(Thread.State.WAITING, stateWithin(sleptLast, Thread.State.WAITING, 10_000));

    assertSame(sleptLast, pool.submit(Thread::currentThread).get(10, TimeUnit.SECONDS));
  }

  @Test
  void tasksHandedOverTogetherRunOnAsManyThreadsAsThePoolHas() throws Exception {
    pool =
        new SpinThenParkPool(60_000_000, 1_000_000, NEVER_LATE).createExecutor(threadFactory, 4, 4);
    run(() -> {}); // one thread, spinning: it takes the first task and shares the rest
    CountDownLatch allRunning = new CountDownLatch(4);
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < 4; i++) {
      pool.execute(() -> runUntil(allRunning, release));
    }
    assertTrue(
        allRunning.await(10, TimeUnit.SECONDS), "tasks not started: " + allRunning.getCount());
    release.countDown();
    assertEquals(4, threads.size());
  }

  @Test
  void aTaskHandedOverFromAnEventLoopWakesItsThreadOnceTheLoopsTaskIsDone(Vertx vertx)
      throws Exception {
    pool = new SpinThenParkPool(0, 1_000_000).createExecutor(threadFactory, 1, 1);
    run(() -> {});
    assertEquals(Thread.State.WAITING, stateWithin(threads.get(0), Thread.State.WAITING, 10_000));
    AtomicBoolean loopTaskDone = new AtomicBoolean();
    CompletableFuture<Boolean> ranAfterTheLoopsTask = new CompletableFuture<>();
    vertx.runOnContext(
        onTheEventLoop -> {
          pool.execute(() -> ranAfterTheLoopsTask.complete(loopTaskDone.get()));
          // The loop stays in this task a while (as Vert.x stays inside its task-queue lock after
          // handing a task over): a thread woken at once would run the task meanwhile.
          busyFor(100);
          loopTaskDone.set(true);
        });
    assertTrue(ranAfterTheLoopsTask.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aTaskHandedOverFromBlockingCodeWakesItsThreadAtOnce(Vertx vertx) throws Exception {
    pool = new SpinThenParkPool(0, 1_000_000).createExecutor(threadFactory, 1, 1);
    run(() -> {});
    assertEquals(Thread.State.WAITING, stateWithin(threads.get(0), Thread.State.WAITING, 10_000));
    AtomicBoolean loopBusy = new AtomicBoolean(true);
    CompletableFuture<Boolean> ranWhileTheLoopWasBusy = new CompletableFuture<>();
    vertx.runOnContext(
        onTheEventLoop -> {
          // blocking code of this event loop's context, on a worker thread, hands a task over
          vertx.executeBlocking(
              () -> {
                pool.execute(() -> ranWhileTheLoopWasBusy.complete(loopBusy.get()));
                return null;
              });
          // the loop stays busy until the task has run (at most 2 s): a wake-up it had been handed
          // would wait for it
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
          while (!ranWhileTheLoopWasBusy.isDone() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
          }
          loopBusy.set(false);
        });
    assertTrue(ranWhileTheLoopWasBusy.get(10, TimeUnit.SECONDS));
  }

  @Test
  void shutdownRunsWhatIsQueuedThenTheThreadsEnd() throws Exception {
    pool = new SpinThenParkPool(100, 50).createExecutor(threadFactory, 1, 1);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ranAfter = new AtomicInteger();
    pool.execute(() -> runUntil(running, release));
    assertTrue(running.await(10, TimeUnit.SECONDS));
    for (int i = 0; i < 3; i++) {
      pool.execute(ranAfter::incrementAndGet);
    }
    pool.shutdown();
    assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {}));
    release.countDown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(3, ranAfter.get());
  }

  @Test
  void shutdownNowHandsBackWhatIsQueuedAndInterruptsTheRunningTask() throws Exception {
    pool = new SpinThenParkPool(100, 50).createExecutor(threadFactory, 1, 1);
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    pool.execute(
        () -> {
          running.countDown();
          try {
            new CountDownLatch(1).await(); // until interrupted
            interrupted.complete(false);
          } catch (InterruptedException e) {
            interrupted.complete(true);
          }
        });
    assertTrue(running.await(10, TimeUnit.SECONDS));
    pool.execute(() -> {});
    pool.execute(() -> {});

    assertEquals(2, pool.shutdownNow().size());
    assertTrue(interrupted.get(10, TimeUnit.SECONDS));
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(pool.isTerminated());
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

  /** A task's body: says it runs, then waits for {@code release}; gives its thread. */
  private static Thread runUntil(CountDownLatch running, CountDownLatch release) {
    running.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Thread.currentThread();
  }

  /** Runs a short task, then waits until its thread is asleep. */
  private void runThenSleep() throws Exception {
    run(() -> {});
    assertEquals(Thread.State.WAITING, stateWithin(threads.get(0), Thread.State.WAITING, 10_000));
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
