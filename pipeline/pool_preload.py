"""Imported once by the extraction pool's fork server (pipeline.batch.pool_context), so the
workers forked from it share warm code and caches instead of each building its own.

Importing this module is its whole job: it runs `pipeline.scoring.warm_up`, then freezes
what that built out of the garbage collector's reach (pipeline/collector.py).
"""
from pipeline.collector import freeze_before_forking
from pipeline.scoring import warm_up

warm_up()
freeze_before_forking()
