"""Real documents for the intake tests, made at test time with the tools people make them with:
the seed readings (``fixtures/readings/*.md``) through pandoc to DOCX, ODT, EPUB and HTML,
LibreOffice (``soffice --headless --convert-to``) to ODT and PDF, poppler's ``pdftoppm`` and
PDFium to a scan, Ghostscript for page labels and PDF passwords, msoffcrypto-tool (Word's own
encryption, MS-OFFCRYPTO) for a DOCX password.

``Documents(folder)`` builds each file once and returns its path; the session fixture
``documents`` (``tests/readings/conftest.py``) shares one folder across the run, so a test that
asks for the same PDF again pays nothing. Every builder raises ``CalledProcessError`` when its
tool fails, so a missing tool fails the test rather than skipping it.
"""

import re
import subprocess
import zipfile
from pathlib import Path

from readings.sources import parse_source

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "readings"
SEED_NAMES = sorted(path.stem for path in SEEDS.glob("*.md"))
VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"

# The running head LibreOffice sets above every page of an ODT built with ``running_head``;
# pandoc's default ODT already puts the page number in the footer.
_HEADER = '<style:header><text:p text:style-name="MP1">{}</text:p></style:header>'


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

    def markdown_to(
        self,
        stem,
        markdown,
        *,
        suffix,
        title="",
        author="",
        running_head="",
        smart=True,
        standalone=False,
    ):
        """``markdown`` through pandoc to ``suffix`` ("docx", "odt", "epub", "html"), with the
        title and author in the document's metadata. ``smart`` False keeps straight quotes
        straight (the document holds the seed's own characters)."""

        def build(path):
            source = self.folder / f"{stem}.src.md"
            source.write_text(markdown, encoding="utf-8")
            reader = "markdown" if smart else "markdown-smart"
            command = ["pandoc", "-f", reader, "-t", suffix, "-o", str(path), str(source)]
            for key, value in (("title", title), ("author", author)):
                if value:
                    command += ["-M", f"{key}={value}"]
            if running_head:
                command += ["--reference-doc", str(self._reference_odt(running_head))]
            if standalone:
                command.append("--standalone")
            subprocess.run(command, check=True, capture_output=True)

        return self._built(f"{stem}.{suffix}", build)

    def _reference_odt(self, running_head):
        """pandoc's own reference ODT with a running head added to its page style."""

        def build(path):
            default = subprocess.run(
                ["pandoc", "--print-default-data-file", "reference.odt"],
                check=True,
                capture_output=True,
            ).stdout
            (self.folder / "default-reference.odt").write_bytes(default)
            with (
                zipfile.ZipFile(self.folder / "default-reference.odt") as original,
                zipfile.ZipFile(path, "w") as copy,
            ):
                for item in original.infolist():
                    data = original.read(item)
                    if item.filename == "styles.xml":
                        header = _HEADER.format(running_head).encode()
                        data = re.sub(rb"(<style:footer>)", header + rb"\1", data, count=1)
                    compress = zipfile.ZIP_STORED if item.filename == "mimetype" else None
                    copy.writestr(item, data, compress_type=compress or zipfile.ZIP_DEFLATED)

        slug = re.sub(r"\W+", "-", running_head).strip("-").lower()
        return self._built(f"reference-{slug}.odt", build)

    def to_pdf(self, document):
        """A DOCX or ODT converted by LibreOffice (``soffice --headless --convert-to pdf``)."""

        def build(path):
            outdir = self.folder / "soffice-out"
            subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation={self._profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(outdir),
                    str(document),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
            (outdir / f"{document.stem}.pdf").rename(path)

        return self._built(f"{document.stem}.{document.suffix[1:]}.pdf", build)

    def seed_pdf(self, name, *, via="docx", running_head=False):
        """Seed ``name`` ("004-destalinization") as a PDF made by LibreOffice from pandoc's
        DOCX or ODT. ``running_head`` (ODT only) sets the title above every page; pandoc's
        ODT has the page number in the footer of every page."""
        meta, body = seed_source(name)
        stem = f"{name}-head" if running_head else name
        document = self.markdown_to(
            stem,
            body,
            suffix=via,
            title=meta.get("title", ""),
            author=meta.get("author", ""),
            running_head=meta["title"] if running_head else "",
        )
        return self.to_pdf(document)

    def text_pdf(self, stem, markdown, *, via="odt", title="", author="", running_head=""):
        """Any Markdown as a LibreOffice PDF, as ``seed_pdf`` makes the seeds."""
        document = self.markdown_to(
            stem, markdown, suffix=via, title=title, author=author, running_head=running_head
        )
        return self.to_pdf(document)

    def scan(self, pdf, *, dpi=200, first=1, last=None):
        """``pdf``'s pages rasterised by ``pdftoppm`` (JPEG, as a scanner saves them) and put
        one image per page into a new PDF by PDFium: a PDF with no text layer."""
        import pypdfium2

        def build(path):
            prefix = self.folder / f"{pdf.stem}-scan-page"
            command = ["pdftoppm", "-jpeg", "-r", str(dpi), "-f", str(first)]
            if last:
                command += ["-l", str(last)]
            subprocess.run([*command, str(pdf), str(prefix)], check=True, capture_output=True)
            scanned = pypdfium2.PdfDocument.new()
            for image_path in sorted(self.folder.glob(f"{prefix.name}-*.jpg")):
                image = pypdfium2.PdfImage.new(scanned)
                image.load_jpeg(str(image_path), inline=True)
                width, height = (size * 72 / dpi for size in image.get_px_size())
                image.set_matrix(pypdfium2.PdfMatrix().scale(width, height))
                page = scanned.new_page(width, height)
                page.insert_obj(image)
                page.gen_content()
                image_path.unlink()
            scanned.save(str(path))

        return self._built(f"{pdf.stem}-scan-{dpi}-{first}-{last or 'end'}.pdf", build)

    def _ghostscript(self, name, pdf, *, options=(), then=()):
        def build(path):
            subprocess.run(
                ["gs", "-q", "-sDEVICE=pdfwrite", "-o", str(path), *options, str(pdf), *then],
                check=True,
                capture_output=True,
            )

        return self._built(name, build)

    def with_page_labels(self, pdf, labels):
        """``pdf`` with a /PageLabels tree, as a publisher sets printed page numbers:
        ``labels`` is PDF's ``/Nums`` array, e.g. ``"0 << /S /r >> 2 << /S /D /St 41 >>"``
        (i, ii, then 41, 42, …). Ghostscript writes it with a ``/PUT`` pdfmark."""
        slug = re.sub(r"\W+", "", labels)[:40]
        mark = f"[ {{Catalog}} << /PageLabels << /Nums [ {labels} ] >> >> /PUT pdfmark"
        return self._ghostscript(f"{pdf.stem}-labels-{slug}.pdf", pdf, then=["-c", mark])

    def encrypted(self, pdf, *, password="secret"):
        """``pdf`` protected by a password to open it (Ghostscript's RC4/AES encryption)."""
        return self._ghostscript(
            f"{pdf.stem}-encrypted.pdf",
            pdf,
            options=[
                f"-sOwnerPassword={password}-owner",
                f"-sUserPassword={password}",
                "-dEncryptionR=3",
                "-dKeyLength=128",
            ],
        )

    def truncated(self, pdf, *, keep=0.5):
        """The first part of ``pdf``'s bytes, as an interrupted download leaves it."""

        def build(path):
            data = pdf.read_bytes()
            path.write_bytes(data[: int(len(data) * keep)])

        return self._built(f"{pdf.stem}-truncated-{int(keep * 100)}.pdf", build)

    def seed(self, name, suffix):
        """Seed ``name`` ("004-destalinization") as a DOCX, EPUB or HTML file made by pandoc,
        or an ODT made by LibreOffice from that DOCX."""
        if suffix == "odt":
            return self.libreoffice(self.seed(name, "docx"), "odt")
        meta, body = seed_source(name)
        return self.markdown_to(
            f"{name}-plain",
            body,
            suffix=suffix,
            title=meta.get("title", ""),
            author=meta.get("author", ""),
            smart=False,
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
