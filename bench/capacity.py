#!/usr/bin/env python3
"""The job pipeline as a network of queues with the benchmark's measured service times.

First it models the benchmark's one machine (every process sharing 2 cores, closed loop) and checks that it
reproduces the measured throughput within 25 %; only then does it size a cluster for 100, 1,000 and 10,000 jobs/s
and simulate each plan to show which station saturates. docs/scaling.md explains the figures.

    python3 bench/capacity.py              # check, plans, simulations
    python3 bench/capacity.py --seconds 5  # longer simulated windows

Standard library only. Deterministic: every run uses the same random seed.
"""
import argparse
import heapq
import math
import random
import sys
from collections import defaultdict

# Measured: bench/results/end-to-end-20261202-130326.md, closed loop (2 images of 64x64, local providers).
MEASURED_JOBS_PER_SECOND = 44.4
MEASURED_CORES = 2
CPU_MS_PER_JOB = {
    "Gateway": 2.4,
    "Orchestrator": 9.0,
    "CombinationAnalyzer": 1.9,
    "PromptEnhancer": 1.2,
    "ImageGenerator": 5.7,
    "Notifier": 2.0,
    "RabbitMQ": 7.7,
    "PostgreSQL": 10.9,
    "bench": 1.5,  # the load generator, on the same cores during the measurement
}
DELIVERIES_PER_JOB = 15  # 5 job-state, 5 job events to one Notifier, 4 stage commands, 1 reply
SAGA_DELIVERIES_PER_JOB = 5
COMMITS_PER_JOB = 8.2
EVENTS_PER_JOB = 5  # JobStatusChanged per stage and JobCompleted: each Notifier instance receives all of them

# Assumed (not measurable here; docs/scaling.md says why each is reasonable, and each is a parameter).
CORES_PER_POD = 1.0  # each service pod's CPU limit in deploy/base
TARGET_UTILISATION = 0.7  # headroom for bursts, GC and a lost pod
BROKER_NODE_CORES = 4
QUORUM_REPLICATION_FACTOR = 2.0  # 3 replicas over a classic priority queue: at most 3 × 229 / 344 µs (bench/QueueTypes)
QUEUE_PROCESS_SHARE = 1 / 3  # share of the broker's per-message work done by the queue's own (single) process
POSTGRES_PRIMARY_MAX_CORES = 32  # the largest primary this plan will buy; beyond it writes must be split

# The route of one image job: (process, CPU ms) in the order the work happens. Per-job costs are split evenly over
# the visits a process gets (the benchmark measures per process, not per message); broker and database work is
# attached to the visit that causes it.
ORCHESTRATOR_VISITS = 5


def route():
    per_saga_visit = CPU_MS_PER_JOB["Orchestrator"] / ORCHESTRATOR_VISITS
    per_commit_visit = CPU_MS_PER_JOB["PostgreSQL"] / ORCHESTRATOR_VISITS
    per_delivery = CPU_MS_PER_JOB["RabbitMQ"] / DELIVERIES_PER_JOB
    # Each saga visit: the delivery from job-state (part of it the queue's own process), and the two messages it sends.
    queue_share = per_delivery * QUEUE_PROCESS_SHARE
    saga = [("job-state", queue_share), ("Orchestrator", per_saga_visit), ("PostgreSQL", per_commit_visit),
            ("RabbitMQ", 3 * per_delivery - queue_share)]
    image = CPU_MS_PER_JOB["ImageGenerator"] / 2
    return (
        [("bench", CPU_MS_PER_JOB["bench"]), ("Gateway", CPU_MS_PER_JOB["Gateway"])]
        + saga + [("CombinationAnalyzer", CPU_MS_PER_JOB["CombinationAnalyzer"])]
        + saga + [("PromptEnhancer", CPU_MS_PER_JOB["PromptEnhancer"])]
        + saga + [("ImageGenerator", image)]
        + saga + [("ImageGenerator", image)]
        + saga + [("Notifier", CPU_MS_PER_JOB["Notifier"])]
    )


class Network:
    """Stations of FCFS servers; a job visits its route's stations in turn. Service times are exponential."""

    def __init__(self, servers, station_of, seed=7):
        self.servers = servers
        self.station_of = station_of
        self.random = random.Random(seed)
        self.busy = defaultdict(int)
        self.waiting = defaultdict(list)
        self.busy_ms = defaultdict(float)
        self.work_ms = defaultdict(float)
        self.events = []
        self.sequence = 0
        self.completed = []

    def schedule(self, at, kind, job):
        self.sequence += 1
        heapq.heappush(self.events, (at, self.sequence, kind, job))

    def arrive(self, now, job):
        if job["step"] == len(job["route"]):
            self.completed.append((job["start"], now))
            return
        process, ms = job["route"][job["step"]]
        station = self.station_of(process)
        service = self.random.expovariate(1 / ms) if ms > 0 else 0
        self.work_ms[process] += service
        if self.busy[station] < self.servers[station]:
            self.busy[station] += 1
            self.busy_ms[station] += service
            self.schedule(now + service, "done", (job, station))
        else:
            self.waiting[station].append((job, service))

    def done(self, now, job, station):
        if self.waiting[station]:
            following, service = self.waiting[station].pop(0)
            self.busy_ms[station] += service
            self.schedule(now + service, "done", (following, station))
        else:
            self.busy[station] -= 1
        job["step"] += 1
        self.arrive(now, job)

    def run(self, until_ms, on_complete=None):
        while self.events and self.events[0][0] <= until_ms:
            now, _, kind, payload = heapq.heappop(self.events)
            if kind == "new":
                self.arrive(now, payload)
            else:
                job, station = payload
                before = len(self.completed)
                self.done(now, job, station)
                if on_complete and len(self.completed) > before:
                    on_complete(now)


def new_job(start, steps):
    return {"start": start, "step": 0, "route": steps}


def one_machine(seconds, jobs_in_flight=64):
    """The benchmark's closed loop: every process on one 2-core machine, a fixed number of jobs in flight."""
    steps = route()
    network = Network({"machine": MEASURED_CORES}, lambda process: "machine")
    for _ in range(jobs_in_flight):
        network.schedule(0, "new", new_job(0, steps))
    network.run(seconds * 1000, lambda now: network.schedule(now, "new", new_job(now, steps)))
    warm = seconds * 1000 * 0.2
    done = [end for start, end in network.completed if end >= warm]
    throughput = len(done) / ((seconds * 1000 - warm) / 1000)
    network.work_ms["RabbitMQ"] += network.work_ms.pop("job-state")
    cores = {p: network.work_ms[p] / (seconds * 1000) for p in CPU_MS_PER_JOB}
    return throughput, cores


def broker_ms_per_job(notifiers):
    per_delivery = CPU_MS_PER_JOB["RabbitMQ"] / DELIVERIES_PER_JOB
    deliveries = DELIVERIES_PER_JOB - EVENTS_PER_JOB + EVENTS_PER_JOB * notifiers
    return deliveries * per_delivery * QUORUM_REPLICATION_FACTOR


class Design:
    """What the deployment does about the stations one instance must carry (docs/scaling.md)."""

    def __init__(self, saga_partitions=1, notifiers_routed=False, postgres_shards=1):
        self.saga_partitions = saga_partitions  # job-state split by job id over this many queues
        self.notifiers_routed = notifiers_routed  # a Notifier receives only its own subscribers' events
        self.postgres_shards = postgres_shards  # the saga's rows split by job id over this many primaries

    def __str__(self):
        if self.saga_partitions == 1 and not self.notifiers_routed and self.postgres_shards == 1:
            return "as built"
        primaries = "1 PostgreSQL primary" if self.postgres_shards == 1 else f"{self.postgres_shards} PostgreSQL primaries"
        return (f"{self.saga_partitions} saga queue partitions, {primaries}, "
                + ("Notifiers routed by job" if self.notifiers_routed else "every Notifier sees every event"))


AS_BUILT = Design()


def plan(rate, design=AS_BUILT):
    """Replicas per service and the single-instance stations' load at a rate of jobs/s."""
    def pods(ms):
        return max(2, math.ceil(rate * ms / 1000 / (CORES_PER_POD * TARGET_UTILISATION)))

    replicas = {p: pods(CPU_MS_PER_JOB[p]) for p in ("Gateway", "Orchestrator", "CombinationAnalyzer", "PromptEnhancer", "ImageGenerator")}
    # Every Notifier receives every event: more instances add work, they do not share it (2 for availability).
    replicas["Notifier"] = pods(CPU_MS_PER_JOB["Notifier"]) if design.notifiers_routed else 2
    broker_cores = rate * broker_ms_per_job(1 if design.notifiers_routed else replicas["Notifier"]) / 1000
    replicas["RabbitMQ nodes"] = max(3, math.ceil(broker_cores / (BROKER_NODE_CORES * TARGET_UTILISATION)))
    postgres_cores = rate * CPU_MS_PER_JOB["PostgreSQL"] / 1000
    notifier_share = 1 / replicas["Notifier"] if design.notifiers_routed else 1
    loads = {
        # The saga's rows are on one PostgreSQL primary (per shard): its writes cannot go to a replica.
        f"PostgreSQL primary ({POSTGRES_PRIMARY_MAX_CORES} cores)": postgres_cores / design.postgres_shards / POSTGRES_PRIMARY_MAX_CORES,
        # One queue is one process on one broker node: job-state takes 5 deliveries per job.
        "job-state queue (one process)": rate * SAGA_DELIVERIES_PER_JOB * CPU_MS_PER_JOB["RabbitMQ"] / DELIVERIES_PER_JOB
        * QUORUM_REPLICATION_FACTOR * QUEUE_PROCESS_SHARE / 1000 / design.saga_partitions,
        # As built, each Notifier instance handles every event of every job.
        "each Notifier (one core)": rate * CPU_MS_PER_JOB["Notifier"] * notifier_share / 1000 / CORES_PER_POD,
    }
    return replicas, postgres_cores, loads


def simulate_plan(rate, replicas, seconds, design=AS_BUILT):
    """Open loop at the rate, each service a station of replicas x cores, the single-instance stations as one server."""
    servers = {p: replicas[p] * CORES_PER_POD for p in ("Gateway", "Orchestrator", "CombinationAnalyzer", "PromptEnhancer", "ImageGenerator")}
    # As built, one instance's view: it handles every event whatever the count.
    servers["Notifier"] = replicas["Notifier"] * CORES_PER_POD if design.notifiers_routed else CORES_PER_POD
    servers["RabbitMQ"] = replicas["RabbitMQ nodes"] * BROKER_NODE_CORES
    servers["job-state"] = design.saga_partitions
    servers["PostgreSQL"] = POSTGRES_PRIMARY_MAX_CORES * design.postgres_shards
    servers["bench"] = math.inf
    broker = ("RabbitMQ", "job-state")
    steps = [(p, ms * QUORUM_REPLICATION_FACTOR if p in broker else ms) for p, ms in route()]
    network = Network(servers, lambda process: process)
    gap = 1000 / rate
    at = 0.0
    while at < seconds * 1000:
        network.schedule(at, "new", new_job(at, steps))
        at += network.random.expovariate(1 / gap)
    network.run(seconds * 1000)
    utilisation = {s: network.busy_ms[s] / (seconds * 1000 * servers[s]) for s in servers if servers[s] != math.inf}
    latencies = sorted(end - start for start, end in network.completed if start >= seconds * 200)
    p99 = latencies[int(len(latencies) * 0.99)] if latencies else math.inf
    backlog = sum(len(w) for w in network.waiting.values())
    return utilisation, p99, backlog


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="simulated seconds per run (default 2)")
    args = parser.parse_args()

    throughput, cores = one_machine(max(args.seconds, 20))
    error = (throughput - MEASURED_JOBS_PER_SECOND) / MEASURED_JOBS_PER_SECOND
    print(f"One machine, {MEASURED_CORES} cores, closed loop: simulated {throughput:.1f} jobs/s, measured "
          f"{MEASURED_JOBS_PER_SECOND} ({error:+.1%})")
    print("  cores by process (simulated): " + ", ".join(f"{p} {c:.2f}" for p, c in cores.items()))
    if abs(error) > 0.25:
        print("The model does not reproduce the measured machine within 25 %: no prediction.", file=sys.stderr)
        return 1

    scenarios = [(100, AS_BUILT), (1000, AS_BUILT), (10000, AS_BUILT),
                 (1000, Design(saga_partitions=4, notifiers_routed=True)),
                 (10000, Design(saga_partitions=32, notifiers_routed=True, postgres_shards=8))]
    for rate, design in scenarios:
        replicas, postgres_cores, loads = plan(rate, design)
        print(f"\n{rate} jobs/s, {design}")
        print("  replicas: " + ", ".join(f"{p} {n}" for p, n in replicas.items()))
        print(f"  PostgreSQL: {postgres_cores:.1f} cores, {rate * COMMITS_PER_JOB:.0f} commits/s in all")
        for station, load in loads.items():
            flag = "  <- saturated" if load >= 1 else ("  <- above 70 %" if load >= TARGET_UTILISATION else "")
            print(f"  {station}: {load:.0%} busy{flag}")
        utilisation, p99, backlog = simulate_plan(rate, replicas, args.seconds, design)
        hottest = sorted(utilisation.items(), key=lambda kv: -kv[1])[:3]
        print("  simulated: " + ", ".join(f"{s} {u:.0%}" for s, u in hottest)
              + f"; CPU-path p99 {p99:.0f} ms; {backlog} steps waiting at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
