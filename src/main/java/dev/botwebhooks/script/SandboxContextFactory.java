package dev.botwebhooks.script;

import dev.botwebhooks.config.Settings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.JSDescriptor;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.debug.DebugFrame;
import org.mozilla.javascript.debug.DebuggableScript;
import org.mozilla.javascript.debug.Debugger;

/**
 * Makes the contexts scripts run in: interpreted mode (so the instruction observer and the stack
 * depth limit always apply and no classes are generated), ES6, a deny-all class shutter, and an
 * instruction observer that enforces the run's absolute deadline and allocation budget.
 */
final class SandboxContextFactory extends ContextFactory {
  /** Instructions between two checks; small enough that a check runs every ~100 microseconds. */
  static final int INSTRUCTION_THRESHOLD = 5_000;

  /** Interpreted frames per call chain; recursion through built-ins is caught as stack overflow. */
  static final int MAX_STACK_DEPTH = 400;

  /**
   * Script frames and guarded built-ins nested in one run, counting frames entered from Java
   * (callbacks of built-ins, getters, valueOf) and built-ins that call each other in Java: each
   * takes the Java stack, and a stack overflow at a depth a script can choose may fall inside a
   * class's initialisation or a call site's linking, which the JVM then refuses for good, for
   * every bot. At about 2 KB of Java stack per such level, this keeps a run far from the end of
   * its worker's stack.
   */
  static final int MAX_CALL_DEPTH = 1000;

  /** Steps of a Java-driven loop between two checks; a power of two. */
  static final int TICKS_PER_CHECK = 256;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Override
  protected Context makeContext() {
    SandboxContext cx = new SandboxContext(this);
    cx.setInterpretedMode(true);
    cx.setLanguageVersion(Context.VERSION_ES6);
    cx.setMaximumInterpreterStackDepth(MAX_STACK_DEPTH);
    cx.setInstructionObserverThreshold(INSTRUCTION_THRESHOLD);
    cx.setGeneratingDebug(false);
    // No Java class is ever visible to a script, whatever route it finds.
    cx.setClassShutter(fullClassName -> false);
    // Every call into interpreted code, from script or from Java (iterators, getters, toJSON,
    // replacers, comparators, valueOf/toString, promise jobs), ticks the run's check.
    cx.setDebugger(CallTicker.INSTANCE, null);
    return cx;
  }

  @Override
  protected boolean hasFeature(Context cx, int featureIndex) {
    switch (featureIndex) {
      case Context.FEATURE_E4X:
      case Context.FEATURE_ENHANCED_JAVA_ACCESS:
      case Context.FEATURE_ENABLE_JAVA_MAP_ACCESS:
      case Context.FEATURE_DYNAMIC_SCOPE:
      case Context.FEATURE_PARENT_PROTO_PROPERTIES:
        return false;
      case Context.FEATURE_LOCATION_INFORMATION_IN_ERROR:
        return true;
      default:
        return super.hasFeature(cx, featureIndex);
    }
  }

  @Override
  protected void observeInstructionCount(Context cx, int instructionCount) {
    if (cx instanceof SandboxContext sandbox) {
      sandbox.check();
    }
  }

  /**
   * Rhino counts instructions only at backward jumps, so a function without a loop called over
   * and over from Java (an iterator's {@code next()} driven by {@code new Map(it)}) never reaches
   * the instruction observer. The interpreter asks its debugger for a frame on every call and
   * tells the frame when it is entered: that is where every call ticks.
   */
  private static final class CallTicker implements Debugger, DebugFrame {
    static final CallTicker INSTANCE = new CallTicker();

    /**
     * A generator's frame is entered at every resumption and left at none of its yields, so it
     * ticks without counting towards the nesting; its resumptions come from a caller's frame,
     * which is counted.
     */
    private static final DebugFrame GENERATOR =
        new DebugFrame() {
          @Override
          public void onEnter(Context cx, Scriptable activation, Scriptable thisObj, Object[] args) {
            if (cx instanceof SandboxContext sandbox) {
              sandbox.tick();
            }
          }
        };

    @Override
    public DebugFrame getFrame(Context cx, DebuggableScript fnOrScript) {
      return fnOrScript instanceof JSDescriptor<?> d && d.isES6Generator() ? GENERATOR : this;
    }

    @Override
    public void onEnter(Context cx, Scriptable activation, Scriptable thisObj, Object[] args) {
      if (cx instanceof SandboxContext sandbox) {
        sandbox.enterFrame();
      }
    }

    @Override
    public void onExit(Context cx, boolean byThrow, Object resultOrException) {
      if (cx instanceof SandboxContext sandbox) {
        sandbox.depth--;
      }
    }
  }

  /** Bytes allocated so far by the current thread, or -1 where the JVM cannot tell. */
  static long allocatedBytes() {
    if (THREADS instanceof com.sun.management.ThreadMXBean sun) {
      return sun.getCurrentThreadAllocatedBytes();
    }
    return -1;
  }

  /** A context with the run's deadline, allocation budget and sticky stop signal. */
  static final class SandboxContext extends Context {
    /** Share of the maximum heap in use past which allocating beyond the budget ends a run. */
    static final double HEAP_USED_LIMIT = 0.6;

    /** How much data surviving collections a run may add to the heap. */
    static final long MAX_KEPT_BYTES = 128L << 20;

    /** How much a run allocates between two looks at the heap. */
    private static final long MEMORY_CHECK_STEP = 16L << 20;

    /**
     * Whether a run has looked at the heap in this process: until one allocates enough to,
     * {@link HeapWatch} is not loaded (its listeners would slow a cold start), and a run counts
     * what it kept from its first look.
     */
    private static volatile boolean heapWatched;

    private long deadlineNanos = Long.MAX_VALUE;
    private long allocationStart = -1;
    private long allocationBudget = Long.MAX_VALUE;
    private long runAllocationStart;
    private long nextMemoryCheck;
    private long survivedStart;
    private long nextCollectAt;
    /** This run, as {@link HeapWatch#collect} tells runs apart. */
    private Object run;
    private RunAbortedError aborted;
    private int ticks;
    private int promiseJobs;
    private int depth;
    private long calls;

    SandboxContext(ContextFactory factory) {
      super(factory);
    }

    void limits(long deadlineNanos, long allocationBudget) {
      this.deadlineNanos = deadlineNanos;
      this.allocationBudget = allocationBudget;
      this.allocationStart = allocatedBytes();
      this.runAllocationStart = allocationStart;
      this.nextMemoryCheck = allocationStart + Math.min(allocationBudget, MAX_KEPT_BYTES);
      this.survivedStart = heapWatched ? HeapWatch.survived() : Long.MAX_VALUE;
      this.nextCollectAt = 0;
      this.run = new Object();
      this.promiseJobs = 0;
      this.depth = 0;
    }

    /** A script frame entered: counted, ticked, and refused past {@link #MAX_CALL_DEPTH}. */
    private void enterFrame() {
      calls++;
      enterNested();
      tick();
    }

    private void enterNested() {
      if (++depth > MAX_CALL_DEPTH) {
        throw abort(
            new RunAbortedError(
                "stack overflow: more than " + MAX_CALL_DEPTH + " nested calls",
                RhinoScriptRuntime.STACK_LIMIT));
      }
    }

    /**
     * A guarded built-in entered, on {@code cx}'s run: it nests like a script frame, since
     * built-ins call each other in Java ({@code String(a)} of arrays nested in arrays: toString,
     * join, toString, ...) without a script frame between them. {@link #exitNested} leaves it.
     */
    static void enterNested(Context cx) {
      if (cx instanceof SandboxContext sandbox) {
        sandbox.enterNested();
      }
    }

    static void exitNested(Context cx) {
      if (cx instanceof SandboxContext sandbox) {
        sandbox.depth--;
      }
    }

    /**
     * Script frames entered so far on {@code cx}'s run: a guard that reads a value (a length, a
     * number) and sees this change knows script code computed it, and could compute another
     * value when the built-in reads it again.
     */
    static long callsOf(Context cx) {
      return cx instanceof SandboxContext sandbox ? sandbox.calls : 0;
    }

    /**
     * Rhino checks instruction counts only at jumps, and a promise job is often straight-line
     * code run from a Java loop, so every job checks the deadline before it runs; and a run may
     * queue at most {@link RhinoScriptRuntime#MAX_PROMISE_JOBS} of them.
     */
    @Override
    public void enqueueMicrotask(Runnable task) {
      check();
      if (++promiseJobs > RhinoScriptRuntime.MAX_PROMISE_JOBS) {
        throw abort(
            new RunAbortedError(
                "promise jobs limit exceeded: more than "
                    + RhinoScriptRuntime.MAX_PROMISE_JOBS
                    + " queued in one run",
                RhinoScriptRuntime.PROMISE_JOBS_LIMIT));
      }
      super.enqueueMicrotask(
          () -> {
            check();
            task.run();
          });
    }

    /** Stops the run for good: every later check throws the same error again. */
    RunAbortedError abort(RunAbortedError error) {
      if (aborted == null) {
        aborted = error;
      }
      return aborted;
    }

    /** Throws if the run was stopped, is past its deadline or allocated past its budget. */
    void check() {
      if (aborted != null) {
        throw aborted;
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        throw abort(
            new RunAbortedError(
                "time limit exceeded", Settings.Env.SCRIPT_TIME_LIMIT_MS));
      }
      if (allocationStart >= 0) {
        long allocated = allocatedBytes();
        if (allocated > nextMemoryCheck) {
          nextMemoryCheck = allocated + MEMORY_CHECK_STEP;
          checkMemory(allocated);
        }
      }
    }

    /**
     * Ends a run that kept more than {@link #MAX_KEPT_BYTES} (data that survived collections grew
     * by that much since it started, and it allocated at least as much itself), or allocated more
     * than its budget while more than {@link #HEAP_USED_LIMIT} of the heap survived collections.
     * The first ends a run that keeps what it allocates while the heap is still small, not once it
     * is 60% full, where every collection copies hundreds of megabytes (pauses of a quarter second
     * and more, for every run of the process); the second ends runs that fill the heap together.
     * Either is confirmed on a collection of the whole heap ({@link HeapWatch#collect}), so that
     * neither garbage nor what an ended run left behind is held against a run.
     */
    private void checkMemory(long allocated) {
      heapWatched = true;
      boolean pastBudget = allocated - allocationStart > allocationBudget;
      // What survived when the run started may have counted garbage that a collection since
      // found: growth is counted from the least seen.
      long survivedNow = HeapWatch.survived();
      survivedStart = Math.min(survivedStart, survivedNow);
      boolean kept =
          allocated - runAllocationStart > MAX_KEPT_BYTES
              && survivedNow - survivedStart > MAX_KEPT_BYTES;
      boolean full = pastBudget && heapFull();
      if ((kept || full) && allocated >= nextCollectAt) {
        if (!HeapWatch.collect(run, deadlineNanos)) {
          return; // its deadline came first: the next check ends it
        }
        long survived = HeapWatch.survivedAtLastCollection();
        if (kept && survived - survivedStart > MAX_KEPT_BYTES) {
          throw abort(
              new RunAbortedError(
                  "memory limit exceeded: kept more than " + (MAX_KEPT_BYTES >> 20) + " MiB",
                  RhinoScriptRuntime.MEMORY_LIMIT));
        }
        if (full && heapFull()) {
          throw abort(
              new RunAbortedError(
                  "memory limit exceeded: allocated more than "
                      + (allocationBudget >> 20)
                      + " MiB while the heap was "
                      + Math.round(HEAP_USED_LIMIT * 100)
                      + "% full",
                  RhinoScriptRuntime.MEMORY_LIMIT));
        }
        // The figures counted garbage, and will again while this run goes on as it does (G1
        // counts large arrays a run drops as old until its next concurrent cycle): this run's
        // heap is not collected again before it allocated another 256 MiB.
        nextCollectAt = allocated + 2 * MAX_KEPT_BYTES;
        survivedStart = Math.min(survivedStart, survived);
      }
      if (pastBudget) {
        // The budget counts garbage too: a run that allocates and drops as it goes may run on,
        // in steps of the budget, as long as the heap shows it keeps little.
        allocationStart = allocated;
      }
    }

    private static boolean heapFull() {
      return HeapWatch.liveAtLastCollection() >= Runtime.getRuntime().maxMemory() * HEAP_USED_LIMIT;
    }

    /** Checks from a host function or guard, where no script instruction is running. */
    static void checkCurrent() {
      Context cx = Context.getCurrentContext();
      if (cx instanceof SandboxContext sandbox) {
        sandbox.check();
      }
    }

    /**
     * A cheap step counter for built-ins that loop in Java: every {@link #TICKS_PER_CHECK}
     * steps it runs the full check.
     */
    static void tickCurrent() {
      Context cx = Context.getCurrentContext();
      if (cx instanceof SandboxContext sandbox) {
        sandbox.tick();
      }
    }

    /** One step: every {@link #TICKS_PER_CHECK} steps, the full check. */
    void tick() {
      if ((++ticks & (TICKS_PER_CHECK - 1)) == 0) {
        check();
      }
    }

    /** Nanoseconds left until the run's deadline (negative past it). */
    long nanosLeft() {
      return deadlineNanos - System.nanoTime();
    }

    static RunAbortedError abortCurrent(RunAbortedError error) {
      Context cx = Context.getCurrentContext();
      if (cx instanceof SandboxContext sandbox) {
        return sandbox.abort(error);
      }
      return error;
    }
  }
}
