"""The W3C Nu HTML Checker (vnu.jar, from the vnu-jar npm package that `make install` puts
under .venv/vnu/) run once over many documents: one JVM start for a whole batch, since
starting Java costs more than checking a page."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = Path(
    os.environ.get("VNU_JAR", ROOT / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)


def _java():
    java = shutil.which("java")
    missing = [
        what for what, there in (("java", java), (str(VNU_JAR), VNU_JAR.exists())) if not there
    ]
    if missing:
        reason = (
            f"the HTML checker needs {' and '.join(missing)} "
            "(make install; apt-get install default-jre-headless)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason + ": CI must validate the HTML")
        pytest.skip(reason)
    return java


def html_errors(documents):
    """Every error the checker finds in ``documents`` ({name: HTML text}), as lines
    "name:line: message [extract]"; warnings and info messages are left out."""
    java = _java()
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{index:04d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = name
        result = subprocess.run(
            [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
             "--exit-zero-always", *sorted(str(Path(folder) / p) for p in os.listdir(folder))],
            capture_output=True,
            text=True,
            check=True,
        )  # fmt: skip
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{files.get(Path(m.get('url', '')).name, m.get('url'))}:{m.get('lastLine', '?')}: "
        f"{m['message']}"
        f" [{(m.get('extract') or '').strip()[:80]}]"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
