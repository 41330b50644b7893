"""Pelican glue for the data files (content/data/*.yml); the logic is in
sitedata.py and glue.py, as plain functions that tests call directly."""

from pelican import signals

from . import glue


def register():
    signals.generator_init.connect(glue.on_generator_init)
    signals.content_object_init.connect(glue.on_content_object_init)
    signals.page_generator_finalized.connect(glue.on_pages_finalized)
