#!/usr/bin/env python3
"""The kernels of `asynkit bench -asyncio`, run on CPython's asyncio.

Prints one JSON object: nanoseconds per op of each kernel, as the Go side
measures its own (the same batch of 1,000 tasks, the same hand-off):

  create          a task created, run and finished without blocking
  create_blocking a task that yields once (await asyncio.sleep(0))
  eager_factory   a task that finishes at once, with asyncio's eager task
                  factory (Python 3.12 and later; null before)
  yield           one hand-off between two tasks through the ready queue

Usage: python3 scripts/asyncio_bench.py [ops]  (default 200000)
"""

import asyncio
import json
import sys
import time

BATCH = 1000


async def nop():
    return 1


async def yield_once():
    await asyncio.sleep(0)
    return 1


async def create(fn, n):
    start = time.perf_counter_ns()
    left = n
    while left > 0:
        last = None
        for _ in range(min(left, BATCH)):
            last = asyncio.create_task(fn())
        await last
        left -= BATCH
    return (time.perf_counter_ns() - start) / n


async def handoff(n):
    async def side():
        for _ in range(n // 2):
            await asyncio.sleep(0)

    start = time.perf_counter_ns()
    other = asyncio.create_task(side())
    await side()
    await other
    return (time.perf_counter_ns() - start) / n


async def eager(n):
    factory = getattr(asyncio, "eager_task_factory", None)
    if factory is None:
        return None
    asyncio.get_running_loop().set_task_factory(factory)
    try:
        return await create(nop, n)
    finally:
        asyncio.get_running_loop().set_task_factory(None)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    results = {
        "create": asyncio.run(create(nop, n)),
        "create_blocking": asyncio.run(create(yield_once, n)),
        "eager_factory": asyncio.run(eager(n)),
        "yield": asyncio.run(handoff(n)),
        "python": sys.version.split()[0],
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
