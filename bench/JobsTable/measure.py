"""Measures the jobs page and GET /api/jobs on a Gateway over a seeded table, and writes the report with PostgreSQL's plans.

Each case is requested --requests times one after another on one keep-alive connection (after 20 unmeasured ones); the
plans are EXPLAIN (ANALYZE, BUFFERS) of the SQL the Gateway runs for that case (the statements of PostgresJobReader with
the case's values), run through psql on the same database.
"""
import argparse
import datetime
import http.client
import json
import re
import statistics
import subprocess
import time
import urllib.parse

COLUMNS = ("id, current_state, type, priority, owner, input, max_retries, retry_count, progress_current, progress_total, "
           "progress_percent, progress_message, combinations, score, images, statistics, errors, history, created_at, started_at, "
           "completed_at, fault_stage, fault_reason, batch_items, unique_key, timeout_seconds, callback_url, run_at, dependencies, sequence, attempt")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    gateway = urllib.parse.urlparse(args.gateway)
    day_ago = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%SZ")
    month_ago = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")

    user = Session(gateway, "dev-user-key")
    admin = Session(gateway, "dev-admin-key")
    deep_cursor = admin.follow("/api/jobs?status=completed&pageSize=20", pages=100)

    cases = [
        ("Jobs page, first page (user demo)", user, "/dashboard", True, [
            page_sql("owner = 'demo'", 26),
            counts_sql(f"owner = 'demo' AND created_at >= '{day_ago}'")]),
        ("Jobs page, first page (admin, every owner)", admin, "/dashboard", True, [
            page_sql("TRUE", 26),
            counts_sql(f"created_at >= '{day_ago}'")]),
        ("Jobs page, text search 'lighthouse' (admin; 1 job in 8)", admin, "/dashboard?q=lighthouse", True, [
            page_sql("input ->> 'basePrompt' ILIKE '%lighthouse%'", 26),
            counts_sql(f"input ->> 'basePrompt' ILIKE '%lighthouse%' AND created_at >= '{day_ago}'")]),
        ("Jobs page, text search 'zebra' (admin; 1 job in 1,000)", admin, "/dashboard?q=zebra", True, [
            page_sql("input ->> 'basePrompt' ILIKE '%zebra%'", 26),
            counts_sql(f"input ->> 'basePrompt' ILIKE '%zebra%' AND created_at >= '{day_ago}'")]),
        ("Jobs page, text search 'zebra' (user demo)", user, "/dashboard?q=zebra", True, [
            page_sql("owner = 'demo' AND input ->> 'basePrompt' ILIKE '%zebra%'", 26)]),
        ("GET /api/jobs?status=failed&type=image-generation (admin)", admin, "/api/jobs?status=failed&type=image-generation&pageSize=20", False, [
            page_sql("current_state = ANY('{Faulted}') AND type = 'image-generation'", 21),
            count_sql("current_state = ANY('{Faulted}') AND type = 'image-generation'")]),
        ("GET /api/jobs?status=completed&priority=high&from=30 days ago (user demo)", user,
         f"/api/jobs?status=completed&priority=high&from={month_ago}&pageSize=20", False, [
            page_sql(f"owner = 'demo' AND current_state = ANY('{{Completed}}') AND priority = 'high' AND created_at >= '{month_ago}'", 21),
            count_sql(f"owner = 'demo' AND current_state = ANY('{{Completed}}') AND priority = 'high' AND created_at >= '{month_ago}'")]),
        ("Jobs page, text search 'qwertyuiop' (admin; matches nothing)", admin, "/dashboard?q=qwertyuiop", True, [
            page_sql("input ->> 'basePrompt' ILIKE '%qwertyuiop%'", 26)]),
        ("GET /api/jobs?status=cancelled&q=zebra (admin; matches nothing)", admin, "/api/jobs?status=cancelled&q=zebra&pageSize=20", False, [
            page_sql("current_state = ANY('{Cancelled}') AND input ->> 'basePrompt' ILIKE '%zebra%'", 21),
            count_sql("current_state = ANY('{Cancelled}') AND input ->> 'basePrompt' ILIKE '%zebra%'")]),
        ("GET /api/jobs?status=completed after=<cursor 100 pages deep> (admin)", admin,
         f"/api/jobs?status=completed&pageSize=20&after={deep_cursor}", False, [
            page_sql(f"current_state = ANY('{{Completed}}') AND (created_at, id) < {cursor_sql(deep_cursor)}", 21)]),
    ]

    # The same search without the trigram index, in a transaction rolled back: what the index saves.
    unindexed = explain(args.database, page_sql("current_state = ANY('{Cancelled}') AND input ->> 'basePrompt' ILIKE '%zebra%'", 21),
                        before="BEGIN; DROP INDEX workflow.ix_jobs_base_prompt_trgm;", after="ROLLBACK;")

    results = []
    for name, session, path, is_page, sqls in cases:
        timings = session.time(path, args.requests)
        p50, p95, p99 = (percentile(timings, q) for q in (50, 95, 99))
        print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms")
        plans = [(sql, explain(args.database, sql)) for sql in sqls]
        results.append((name, path, p50, p95, p99, plans))

    write_report(args, results, unindexed)


class Session:
    """One keep-alive connection with the key in a header (API) or signed in by cookie (dashboard)."""

    def __init__(self, gateway, key):
        self.gateway = gateway
        self.key = key
        self.connection = http.client.HTTPConnection(gateway.hostname, gateway.port, timeout=60)
        self.cookies = {}
        self.sign_in()

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if path.startswith("/api/"):
            headers["Authorization"] = "Bearer " + self.key
        else:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, data

    def sign_in(self):
        status, page = self.request("GET", "/dashboard/sign-in")
        token = re.search(rb'name="__RequestVerificationToken" type="hidden" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode({"key": self.key, "__RequestVerificationToken": token})
        status, _ = self.request("POST", "/dashboard/sign-in", body, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise SystemExit(f"sign-in answered {status}")

    def follow(self, path, pages):
        cursor = None
        for _ in range(pages):
            status, data = self.request("GET", path + (f"&after={cursor}" if cursor else ""))
            cursor = json.loads(data)["next"]
        return cursor

    def time(self, path, requests):
        for _ in range(20):
            self.check(path)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            self.check(path)
            timings.append((time.perf_counter() - started) * 1000)
        return timings

    def check(self, path):
        status, data = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: {data[:300]!r}")


def page_sql(where, limit):
    return f"SELECT {COLUMNS} FROM workflow.job_view WHERE TRUE AND {where} ORDER BY created_at DESC, id DESC LIMIT {limit}"


def counts_sql(where):
    return f"SELECT current_state, count(*) FROM workflow.job_view WHERE TRUE AND {where} GROUP BY current_state"


def count_sql(where):
    return f"SELECT count(*) FROM (SELECT 1 FROM workflow.job_view WHERE TRUE AND {where} LIMIT 1001) AS matching"


def cursor_sql(cursor):
    ticks, job_id = cursor.split("_")
    at = datetime.datetime(1, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=int(ticks) // 10)
    return f"('{at.isoformat()}'::timestamptz, '{job_id}'::uuid)"


def explain(database, sql, before="", after=""):
    script = f"{before}\nEXPLAIN (ANALYZE, BUFFERS) {sql};\n{after}\n"
    output = subprocess.run(["psql", "-d", database, "-AtXq", "-v", "ON_ERROR_STOP=1"], input=script,
                            capture_output=True, text=True, check=True).stdout
    return "\n".join(line for line in output.splitlines() if line not in ("BEGIN", "DROP INDEX", "ROLLBACK")).rstrip()


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1)]


def write_report(args, results, unindexed):
    indexes = subprocess.run(["psql", "-d", args.database, "-AtXc",
                              "SELECT indexdef FROM pg_indexes WHERE schemaname = 'workflow' AND tablename = 'jobs' ORDER BY indexname"],
                             capture_output=True, text=True, check=True).stdout.rstrip()
    size = subprocess.run(["psql", "-d", args.database, "-AtXc",
                           "SELECT pg_size_pretty(pg_table_size('workflow.jobs')) || ' table, ' || pg_size_pretty(pg_indexes_size('workflow.jobs')) || ' indexes'"],
                          capture_output=True, text=True, check=True).stdout.strip()
    worst = max(r[3] for r in results)
    lines = [
        f"# Jobs table at {args.rows:,} rows — {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"`bench/jobs-table.sh --rows {args.rows} --requests {args.requests}`: database `{args.database}` (its own), one Gateway on it,",
        f"{args.requests} sequential requests per case after 20 unmeasured, one keep-alive connection. Table: {size}.",
        f"Target p95 ≤ 100 ms; worst p95 here {worst:.1f} ms ({'met' if worst <= 100 else 'NOT met'}).",
        "",
        "| case | request | p50 ms | p95 ms | p99 ms |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {name} | `{path}` | {p50:.1f} | {p95:.1f} | {p99:.1f} |" for name, path, p50, p95, p99, _ in results]
    lines += ["", "## Indexes on workflow.jobs", "", "```", indexes, "```", "", "## Plans (EXPLAIN (ANALYZE, BUFFERS), after the timed requests)", ""]
    for name, _, _, _, _, plans in results:
        lines += [f"### {name}", ""]
        for sql, plan in plans:
            lines += ["```sql", sql, "```", "", "```", plan, "```", ""]
    lines += ["## Without the trigram index", "",
              "`GET /api/jobs?status=cancelled&q=zebra`'s page query with `ix_jobs_base_prompt_trgm` dropped in a transaction that is rolled back:", "",
              "```", unindexed, "```", ""]
    with open(args.out, "w") as report:
        report.write("\n".join(lines))
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
