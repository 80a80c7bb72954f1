from tests.grading.conftest import graded  # noqa: F401  (the graded prompt of HIST 274)
