"""Imported once by the extraction pool's fork server (pipeline.batch.pool_context), so the
workers forked from it share warm code and caches instead of each building its own.

Importing this module is its whole job: it runs `pipeline.scoring.warm_up`.
"""
from pipeline.scoring import warm_up

warm_up()
