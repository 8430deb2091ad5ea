"""The frozen folder's self-check against a PostgreSQL server, as `./dev.sh build` runs it after the file
self-check: a throwaway local cluster (tests/pg_cluster.py), an empty database on it, then
`FOLDER/canlian --selfcheck --db postgresql://…` run as on an office PC (no Python on the PATH, an empty
home folder, offscreen). Without PostgreSQL it says so and passes, except under CANLIAN_CI=1 (CI never
skips it). Usage: python scripts/selfcheck_server.py dist/canlian-VERSION/"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402

from tests.pg_cluster import Cluster, NoPostgres  # noqa: E402


def main(folder: Path) -> int:
    try:
        cluster = Cluster()
    except NoPostgres as exc:
        print(f"没有PostgreSQL，跳过连接服务器的自检：{exc}")
        return 1 if os.environ.get("CANLIAN_CI") == "1" else 0
    try:
        name = cluster.new_name("canlian_selfcheck")
        with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f"create database {name}")  # our own name, never input
        url = cluster.url(name).replace("postgresql+psycopg://", "postgresql://")
        with tempfile.TemporaryDirectory() as home:
            env = {"PATH": "/nonexistent", "HOME": home, "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
            done = subprocess.run([str(folder / "canlian"), "--selfcheck", "--db", url], env=env,
                                  capture_output=True, text=True, timeout=600)
        print("\n".join(line for line in done.stdout.splitlines() if not line.startswith("/")))
        if done.returncode != 0:
            print(done.stderr[-3000:])
        elif "通过  服务器数据库" not in done.stdout:
            print("自检没有连接服务器")
            return 1
        return done.returncode
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
