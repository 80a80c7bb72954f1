"""Forum engines' thread page at 1,000 posts, each engine in its own virtualenv.

    python bench/forums/run.py [--engines spirit,machina,misago] [--setup-only]

Standard library only, so the project's own python can run it. Every engine pins its own
Django and dependencies (<engine>/requirements.txt), which cannot share one environment with
ours or with each other; each is measured in a subprocess of its own venv. SQLite always (for
the engines that support it), PostgreSQL too when DATABASE_URL is set. Not a test: it never
fails because a machine is slow, only when an engine's page is wrong (not 200, or truncated).
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The databases each engine runs on. Misago's models use PostgreSQL-only fields and search.
ENGINES = {
    "spirit": ("sqlite", "postgresql"),
    "machina": ("sqlite", "postgresql"),
    "misago": ("postgresql",),
}
COLUMNS = ["engine", "version", "django", "database", "posts", "per_page", "pages"]
COLUMNS += ["median_ms", "queries", "kb", "x_ours"]
TEXT = {"engine", "version", "django", "database"}


def venv_root(args):
    if args.venvs:
        return Path(args.venvs).resolve()
    if os.environ.get("FORUMBENCH_VENVS"):
        return Path(os.environ["FORUMBENCH_VENVS"]).resolve()
    return (Path(args.root).resolve() if args.root else HERE.parents[1]) / ".bench-venvs"


def ensure_venv(engine, root, python):
    """Create or update the engine's venv; a stamp of the pins and the interpreter skips it."""
    requirements = HERE / engine / "requirements.txt"
    venv = root / engine
    ident = requirements.read_bytes() + os.fsencode(os.path.realpath(python))
    stamp = venv / f".forumbench-{hashlib.sha1(ident).hexdigest()[:12]}"
    if stamp.exists():
        return venv, 0.0
    start = time.perf_counter()
    if not (venv / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    for old in venv.glob(".forumbench-*"):
        old.unlink()
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "-r", str(requirements)], check=True)
    stamp.touch()
    return venv, time.perf_counter() - start


def measure(engine, venv, database):
    """The engine's rows: one JSON line per variant (a capped engine measures two)."""
    env = dict(os.environ)
    if database == "sqlite":
        env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), str(HERE / engine / "bench.py")],
        env=env,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(proc.stderr)
    if proc.returncode:
        sys.stderr.write(proc.stdout)
        return [{"engine": engine, "database": database, "error": f"exit {proc.returncode}"}]
    # An engine may print its own lines while it sets up; the results are the JSON ones.
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    print("\n".join(lines), flush=True)
    return [json.loads(ln) for ln in lines]


def measure_ours(database, posts):
    """Our own thread page, by bench/thread.py in the project's venv, as a row like theirs."""
    env = dict(os.environ, BENCH_SIZES=str(posts), BENCH_JSON="1")
    if database == "sqlite":
        env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.thread"],
        cwd=HERE.parents[1],
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        return [{"engine": "destalin", "database": database, "error": f"exit {proc.returncode}"}]
    return [json.loads(ln) for ln in proc.stdout.splitlines() if ln.startswith("{")]


def compare(rows):
    """Each engine's time as a multiple of ours on the same database."""
    ours = {r["database"]: r["median_ms"] for r in rows if r.get("engine") == "destalin"}
    for row in rows:
        if "error" not in row and row["database"] in ours:
            row["x_ours"] = f"{row['median_ms'] / ours[row['database']]:.1f}"


def table(rows):
    if not rows:
        return
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in COLUMNS}

    def line(cells):
        # Words left, numbers right, as a reader scans them.
        return "  ".join(
            str(v).ljust(widths[c]) if c in TEXT else str(v).rjust(widths[c])
            for c, v in zip(COLUMNS, cells, strict=True)
        )

    print(line(COLUMNS))
    for row in rows:
        if "error" in row:
            print(f"{row['engine']}  {row['database']}  {row['error']}")
            continue
        print(f"{line([row.get(c, '') for c in COLUMNS])}  {row.get('note', '')}".rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--root", help="repository root; .bench-venvs/ goes there")
    parser.add_argument("--venvs", help="venv cache directory (or FORUMBENCH_VENVS)")
    parser.add_argument("--python", default=os.environ.get("FORUMBENCH_PYTHON", sys.executable))
    parser.add_argument("--setup-only", action="store_true", help="create/update venvs, stop")
    args = parser.parse_args()
    engines = args.engines.split(",")
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")

    root = venv_root(args)
    venvs = {}
    # One install at a time: the machine is small and shared.
    for engine in engines:
        venvs[engine], seconds = ensure_venv(engine, root, args.python)
        state = f"built in {seconds:.0f} s" if seconds else "up to date"
        print(f"venv {venvs[engine]}: {state}", file=sys.stderr, flush=True)
    if args.setup_only:
        return 0

    posts = int(os.environ.get("FORUMBENCH_POSTS", "1000"))
    rows = []
    for database in ("sqlite", "postgresql"):
        if database == "sqlite" or os.environ.get("DATABASE_URL"):
            rows.extend(measure_ours(database, posts))
    for engine in engines:
        for database in ENGINES[engine]:
            if database == "postgresql" and not os.environ.get("DATABASE_URL"):
                print(f"{engine}: PostgreSQL skipped, DATABASE_URL is not set", file=sys.stderr)
                continue
            rows.extend(measure(engine, venvs[engine], database))
    print()
    compare(rows)
    table(rows)
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
