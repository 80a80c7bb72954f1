"""Readings instructors bring: uploaded files turned into a reading's sections in the task
worker (issue 19). Each format has its own module; each returns a ``ConvertedDocument``."""
