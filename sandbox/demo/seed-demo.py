#!/usr/bin/env python3
"""seed-demo: a small demo account in a ppg-sandbox workspace, created through the Management API.

./dev run calls it once, on a sandbox whose workspace has no project yet, so a newcomer's first
console has something to click through. Everything is named demo-… so it is plainly demo data:

  demo-shop        default database (a demo_orders table, 500 rows, and one backup of it)
                   + demo-shop-staging, with a connection demo-ci
  demo-blog        default database (a demo_posts table, 40 rows)
  demo-analytics   default database + demo-analytics-archive

Projects, databases and connections go through POST /v1/projects, /v1/projects/{id}/databases and
/v1/databases/{id}/connections, so every connection string is a real one; the tables are written
with psql through those strings (which is also what gives the databases some usage); the backup
through the sandbox's control route POST /_sandbox/databases/{id}/backups.

Usage: seed-demo.py --api-url URL --token-file FILE
Exit codes: 0 seeded (or skipped: the workspace has projects already), 1 a request or psql failed
(what failed is printed; the resources made so far stay, named demo-…).
"""
import argparse
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request


class Failure(Exception):
    pass


class Api:
    def __init__(self, base, token):
        self.base = base.rstrip("/")
        self.token = token

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", "Bearer " + self.token)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=60) as reply:
                text = reply.read()
        except urllib.error.HTTPError as e:
            raise Failure(f"{method} {path}: HTTP {e.code}: {e.read().decode(errors='replace')[:300]}")
        except urllib.error.URLError as e:
            raise Failure(f"{method} {path}: {e.reason}")
        return json.loads(text) if text else {}

    def wait_ready(self, database_id):
        for _ in range(600):
            status = self.call("GET", f"/v1/databases/{database_id}")["data"]["status"]
            if status == "ready":
                return
            time.sleep(0.1)
        raise Failure(f"database {database_id} did not become ready within a minute")


def connection_string(issued):
    """The direct connection string of a connection as POST answers it."""
    endpoints = issued.get("endpoints") or {}
    direct = (endpoints.get("direct") or {}).get("connectionString")
    return direct or issued.get("connectionString")


def psql(conn, sql):
    run = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", conn, "-c", sql],
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        raise Failure("psql: " + run.stderr.strip()[:300])


ORDERS = """
CREATE TABLE demo_orders (id serial PRIMARY KEY, customer text NOT NULL, total_cents integer NOT NULL,
                          placed_at timestamptz NOT NULL DEFAULT now());
INSERT INTO demo_orders (customer, total_cents, placed_at)
  SELECT 'demo customer ' || (g % 37), 500 + (g * 137) % 20000, now() - g * interval '1 hour'
  FROM generate_series(1, 500) AS g;
"""

POSTS = """
CREATE TABLE demo_posts (id serial PRIMARY KEY, title text NOT NULL, body text NOT NULL);
INSERT INTO demo_posts (title, body)
  SELECT 'Demo post ' || g, repeat('Demo text. ', 50) FROM generate_series(1, 40) AS g;
"""


def seed(api):
    projects = api.call("GET", "/v1/projects?limit=1")["data"]
    if projects:
        print("seed-demo: the workspace has projects already; no demo data added")
        return

    def project(name):
        p = api.call("POST", "/v1/projects", {"name": name})["data"]
        db = p["database"]
        api.wait_ready(db["id"])
        print(f"seed-demo: project {name} ({p['id']}) with database {db['name']} ({db['id']})")
        return p, db, connection_string(db["connections"][0])

    def database(project_id, name):
        db = api.call("POST", f"/v1/projects/{project_id}/databases", {"name": name})["data"]
        api.wait_ready(db["id"])
        print(f"seed-demo: database {name} ({db['id']})")
        return db

    def connection(database_id, name):
        c = api.call("POST", f"/v1/databases/{database_id}/connections", {"name": name})["data"]
        print(f"seed-demo: connection {name} ({c['id']})")
        return connection_string(c)

    shop, shop_db, shop_conn = project("demo-shop")
    psql(shop_conn, ORDERS)
    api.call("POST", f"/_sandbox/databases/{shop_db['id']}/backups", {})
    print(f"seed-demo: a backup of {shop_db['name']} with 500 demo_orders rows")
    staging = database(shop["id"], "demo-shop-staging")
    connection(staging["id"], "demo-ci")

    _, _, blog_conn = project("demo-blog")
    psql(blog_conn, POSTS)

    analytics, _, _ = project("demo-analytics")
    database(analytics["id"], "demo-analytics-archive")
    print("seed-demo: done")


def main():
    parser = argparse.ArgumentParser(description="Seed a ppg-sandbox workspace with demo data.")
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--token-file", required=True)
    args = parser.parse_args()
    with open(args.token_file, encoding="utf-8") as f:
        token = f.read().strip()
    try:
        seed(Api(args.api_url, token))
    except Failure as e:
        print(f"seed-demo: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
