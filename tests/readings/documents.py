"""Real documents for the intake tests, made at test time with the tools people make them with:
the seed readings (``fixtures/readings/*.md``) through pandoc to DOCX, EPUB and HTML, and
through LibreOffice (``soffice --headless --convert-to``) from DOCX to ODT; a password put on a
DOCX by msoffcrypto-tool, which implements Word's own encryption (MS-OFFCRYPTO).

``Documents(folder)`` builds each file once and returns its path; the session fixture
``documents`` (``tests/readings/conftest.py``) shares one folder across the run. Every builder
raises ``CalledProcessError`` when its tool fails, so a missing tool fails the test rather than
skipping it.
"""

import subprocess
import zipfile
from pathlib import Path

from readings.sources import parse_source

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "readings"
SEED_NAMES = sorted(path.stem for path in SEEDS.glob("*.md"))
VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"


def seed_source(name):
    """A seed's front matter (dict) and its Markdown body, as ``readings.sources`` reads them."""
    text = (SEEDS / f"{name}.md").read_text(encoding="utf-8")
    source = parse_source(text)
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    return source.meta, body


class Documents:
    """Builds documents under ``folder``, each once (the file's existence is the cache)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        # LibreOffice refuses to start twice on one profile: each run of tests has its own.
        self._profile = (self.folder / "libreoffice-profile").as_uri()

    def _built(self, name, build):
        path = self.folder / name
        if not path.exists():
            partial = self.folder / f"partial-{name}"
            build(partial)
            partial.rename(path)
        return path

    def markdown_to(self, stem, markdown, *, suffix, title="", author="", standalone=False):
        """``markdown`` through pandoc to ``suffix`` ("docx", "epub", "html"), with the title
        and author in the document's metadata. Straight quotes stay straight (``-smart``):
        the document holds the seed's own characters."""

        def build(path):
            source = self.folder / f"{stem}.src.md"
            source.write_text(markdown, encoding="utf-8")
            command = ["pandoc", "-f", "markdown-smart", "-t", suffix, "-o", str(path)]
            for key, value in (("title", title), ("author", author)):
                if value:
                    command += ["-M", f"{key}={value}"]
            if standalone:
                command.append("--standalone")
            subprocess.run([*command, str(source)], check=True, capture_output=True)

        return self._built(f"{stem}.{suffix}", build)

    def seed(self, name, suffix):
        """Seed ``name`` ("004-destalinization") as a DOCX, EPUB or HTML file made by pandoc,
        or an ODT made by LibreOffice from that DOCX."""
        if suffix == "odt":
            return self.libreoffice(self.seed(name, "docx"), "odt")
        meta, body = seed_source(name)
        return self.markdown_to(
            name,
            body,
            suffix=suffix,
            title=meta.get("title", ""),
            author=meta.get("author", ""),
            standalone=suffix == "html",
        )

    def libreoffice(self, document, suffix):
        """``document`` converted by LibreOffice (``soffice --headless --convert-to``)."""

        def build(path):
            outdir = self.folder / "soffice-out"
            subprocess.run(
                ["soffice", f"-env:UserInstallation={self._profile}", "--headless",
                 "--convert-to", suffix, "--outdir", str(outdir), str(document)],
                check=True,
                capture_output=True,
                timeout=300,
            )  # fmt: skip
            (outdir / f"{document.stem}.{suffix}").rename(path)

        return self._built(f"{document.stem}.lo.{suffix}", build)

    def with_password(self, document, *, password="secret"):
        """A DOCX protected by a password to open it, as Word saves one."""

        def build(path):
            subprocess.run(
                [VENV_BIN / "msoffcrypto-tool", "-e", "-p", password, document, path],
                check=True,
                capture_output=True,
            )

        return self._built(f"{document.stem}-password.{document.suffix[1:]}", build)

    def zip_bomb(self, suffix, *, megabytes=300):
        """A ZIP named and shaped as a DOCX or EPUB (its marker files are there) whose text
        inflates from a few hundred KB to ``megabytes`` MB."""

        def build(path):
            text = "word/document.xml" if suffix == "docx" else "EPUB/text/ch001.xhtml"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
                if suffix == "epub":
                    bomb.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
                bomb.writestr("[Content_Types].xml", "<Types/>")
                with bomb.open(text, "w", force_zip64=True) as member:
                    chunk = b"\0" * (1024 * 1024)
                    for _ in range(megabytes):
                        member.write(chunk)

        return self._built(f"bomb-{megabytes}.{suffix}", build)
