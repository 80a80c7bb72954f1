import pytest

from tests.readings.documents import Documents

SEED_SLUGS = {
    "000_6091642c0a7e107d.txt": "dilemmas-of-de-stalinisation",
    "002_6416b278ba7586de.txt": "de-stalinization-unraveling-the-political-shift",
    "003_528ec5eea072e5b8.txt": "destalinization-the-origins",
    "004_3d0cfe29769304b4.txt": "destalinization",
}


@pytest.fixture(scope="session")
def documents(tmp_path_factory):
    """Real documents built from the seeds once per run (``tests/readings/documents.py``)."""
    return Documents(tmp_path_factory.mktemp("documents"))
