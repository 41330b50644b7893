"""The data files (content/data/*.yml) on the site: regions, contacts, the
header's number, the OPCAT table. ``register`` connects Pelican's signals to
glue.py; the logic is in plain functions that tests call directly (see
sitedata.py for the map)."""

from pelican import signals

from . import glue

prepare = glue.prepare  # whole-site work, before the language runs (sitekit.build)


def register():
    signals.generator_init.connect(glue.on_generator_init)
    signals.content_object_init.connect(glue.on_content_object_init)
    signals.page_generator_finalized.connect(glue.on_pages_finalized)
