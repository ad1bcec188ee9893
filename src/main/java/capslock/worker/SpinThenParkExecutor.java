package capslock.worker;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of {@link SpinThenParkPool}: at most {@code maxThreads}, started as work comes,
 * taking tasks from one queue. It hands a task over with as few wake-ups as it can, since on a
 * small virtual machine waking a thread costs more than upper-casing a line:
 *
 * <ul>
 *   <li>A thread that has just done a short task polls for the next one a while before it sleeps
 *       (one thread at a time), and a task handed over while a thread polls wakes nobody.
 *   <li>A yield that comes back late ends the spin, and the next spins are skipped, twice as many
 *       each time it happens again: other threads wanted the core, and while they had it the
 *       spinning thread took no task and woke nobody for one (docs/PERFORMANCE.md, "A spin that
 *       stands aside on a busy machine").
 *   <li>Of the sleeping threads, the one that went to sleep last is woken: its caches are the
 *       warmest.
 *   <li>A task handed over from an event loop wakes its thread when the loop's current task is
 *       done. Vert.x hands a task to its worker pool while it holds the lock of the worker
 *       context's task queue, which the woken thread takes first: on the same core the woken thread
 *       would take the core, find the lock held, and sleep again until the event loop let go of it.
 * </ul>
 */
final class SpinThenParkExecutor extends AbstractExecutorService {

  private static final Logger log = LoggerFactory.getLogger(SpinThenParkExecutor.class);

  /** At most this many spins are skipped after a late yield. */
  private static final int MAX_SPINS_SKIPPED = 64;

  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1; // no new tasks; those queued still run
  private static final int STOP = 2; // no new tasks; those queued are handed back

  private final ThreadFactory threadFactory;
  private final int maxThreads;
  private final long spinNanos;
  private final long shortTaskNanos;
  private final BooleanSupplier yieldAndTellIfLate; // how a spin yields, and learns it was late
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Deque<Worker> sleeping = new ConcurrentLinkedDeque<>();
  private final AtomicInteger spinning = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile int state = RUNNING;
  // read and written only by the thread that holds spinning (its set gives the next one these)
  private int spinsLeftToSkip;
  private int spinsSkippedLastTime; // doubled at each late yield, 0 after a spin without one

  SpinThenParkExecutor(
      ThreadFactory threadFactory,
      int maxThreads,
      long spinNanos,
      long shortTaskNanos,
      BooleanSupplier yieldAndTellIfLate) {
    this.threadFactory = threadFactory;
    this.maxThreads = Math.max(1, maxThreads);
    this.spinNanos = spinNanos;
    this.shortTaskNanos = shortTaskNanos;
    this.yieldAndTellIfLate = yieldAndTellIfLate;
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (state != RUNNING) {
      throw new RejectedExecutionException("the worker pool is shut down");
    }
    tasks.offer(task);
    if (state != RUNNING && tasks.remove(task)) {
      throw new RejectedExecutionException("the worker pool is shut down");
    }
    if (spinning.get() == 0) {
      try {
        wakeOrStartThread();
      } catch (RejectedExecutionException noThread) {
        if (tasks.remove(task)) { // else a thread has it already
          throw noThread;
        }
      }
    }
  }

  /**
   * Wakes the thread that slept last, else starts one more, else leaves the task queued; throws
   * {@link RejectedExecutionException} when a thread is needed and cannot be started.
   */
  private void wakeOrStartThread() {
    for (Worker worker = sleeping.pollFirst(); worker != null; worker = sleeping.pollFirst()) {
      if (worker.asleep.compareAndSet(true, false)) {
        wakeSoon(worker.thread);
        return;
      }
      // a stale entry: that thread found a task by itself
    }
    for (int count = started.get(); count < maxThreads; count = started.get()) {
      if (started.compareAndSet(count, count + 1)) {
        startThread();
        return;
      }
    }
  }

  /** One more thread, counted already (the count is given back when it cannot be started). */
  private void startThread() {
    Thread thread = null;
    try {
      thread = threadFactory.newThread(new Worker()::run);
      threads.add(thread);
      thread.start();
    } catch (RuntimeException | Error cannotStart) { // such as "unable to create native thread"
      started.decrementAndGet();
      threads.remove(thread);
      throw new RejectedExecutionException("cannot start a worker thread", cannotStart);
    }
  }

  /**
   * Wakes {@code thread} now, or, called on an event loop, once the loop's current task is done.
   */
  private static void wakeSoon(Thread thread) {
    Context context = Vertx.currentContext();
    if (context != null && Context.isOnEventLoopThread()) {
      try {
        context.runOnContext(afterThisTask -> LockSupport.unpark(thread));
        return;
      } catch (RejectedExecutionException loopShutDown) {
        // an event loop that has shut down refuses tasks (Netty's execute): wake the thread now
      }
    }
    LockSupport.unpark(thread);
  }

  /** From a thread that took a task and left more queued: another thread for them. */
  private void shareWork() {
    try {
      wakeOrStartThread();
    } catch (RejectedExecutionException noThread) {
      log.warn(
          "The worker pool could not start another thread: {}", noThread.getCause().toString());
    }
  }

  /** One thread's loop: take a task, run it, spin or sleep when there is none. */
  private final class Worker {

    private final AtomicBoolean asleep = new AtomicBoolean();
    private Thread thread;

    void run() {
      thread = Thread.currentThread();
      boolean lastTaskWasShort = false;
      for (Runnable task = nextTask(false); task != null; task = nextTask(lastTaskWasShort)) {
        if (!tasks.isEmpty() && spinning.get() == 0) {
          shareWork();
        }
        if (state != STOP) {
          Thread.interrupted(); // an interrupt meant for the last task is not this one's
        }
        long startedAt = System.nanoTime();
        try {
          task.run();
        } catch (Throwable failure) {
          // Vert.x's own tasks catch theirs; a stray one is said, and the thread goes on
          log.error("A task on a worker thread failed", failure);
        }
        lastTaskWasShort = System.nanoTime() - startedAt < shortTaskNanos;
      }
    }

    /** The next task, after a spin or a sleep if need be; null once the pool is shut down. */
    private Runnable nextTask(boolean mayWaitAwake) {
      for (; ; ) {
        // read before the queue: a task accepted before the shutdown is in the queue by then
        int seen = state;
        if (seen == STOP) {
          return null;
        }
        Runnable task = tasks.poll();
        if (task != null) {
          return task;
        }
        if (seen == SHUTDOWN) {
          return null;
        }
        if (mayWaitAwake && spinNanos > 0 && spinning.compareAndSet(0, 1)) {
          task = spin();
          if (task != null) {
            return task;
          }
        }
        task = sleep();
        if (task != null) {
          return task;
        }
        mayWaitAwake = false; // woken for a task another thread may have taken: sleep at once
      }
    }

    /**
     * Polls for a task for up to spinNanos, yielding the core to any thread that wants it; unless a
     * late yield said the core is wanted, and this spin is one to skip.
     */
    private Runnable spin() {
      try {
        if (spinsLeftToSkip > 0) {
          spinsLeftToSkip--;
          return null;
        }
        long deadline = System.nanoTime() + spinNanos;
        do {
          if (yieldAndTellIfLate.getAsBoolean()) {
            spinsSkippedLastTime =
                Math.min(MAX_SPINS_SKIPPED, Math.max(1, 2 * spinsSkippedLastTime));
            spinsLeftToSkip = spinsSkippedLastTime;
            return tasks.poll();
          }
          Runnable task = tasks.poll();
          if (task != null) {
            spinsSkippedLastTime = 0;
            return task;
          }
        } while (System.nanoTime() - deadline < 0 && state == RUNNING);
        spinsSkippedLastTime = 0;
        return null;
      } finally {
        spinning.set(0); // before sleep() looks at the queue again: no task is missed
      }
    }

    /**
     * Sleeps until woken; returns a task found on the last look before sleeping, else null (the
     * caller looks again).
     */
    private Runnable sleep() {
      asleep.set(true);
      sleeping.addFirst(this);
      Runnable task = tasks.poll();
      if (task != null) {
        if (asleep.compareAndSet(true, false)) {
          sleeping.removeFirstOccurrence(this);
        } // else a waker has taken this thread off the list already, and its wake-up is harmless
        return task;
      }
      while (asleep.get() && state == RUNNING) {
        // an interrupt meant for a task would make park return at once, again and again
        Thread.interrupted();
        LockSupport.park(this);
      }
      asleep.set(false); // woken, or the pool shut down
      return null;
    }
  }

  @Override
  public void shutdown() {
    if (state == RUNNING) {
      state = SHUTDOWN;
    }
    threads.forEach(LockSupport::unpark);
  }

  @Override
  public List<Runnable> shutdownNow() {
    state = STOP;
    threads.forEach(
        thread -> {
          thread.interrupt(); // the running tasks
          LockSupport.unpark(thread); // the sleeping threads, whose park may have missed it
        });
    List<Runnable> notRun = new ArrayList<>();
    for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
      notRun.add(task);
    }
    return notRun;
  }

  @Override
  public boolean isShutdown() {
    return state != RUNNING;
  }

  @Override
  public boolean isTerminated() {
    return state != RUNNING && threads.stream().noneMatch(Thread::isAlive);
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      }
    }
    return isTerminated();
  }
}
