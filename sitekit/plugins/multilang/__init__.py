"""Pelican glue for the language subsites; the logic is in multilang.py."""

from pelican import signals

from . import multilang


def _on_generator_init(generator):
    settings = generator.settings
    index = settings.get("TRANSLATION_INDEX")
    if index is None:
        index = multilang.build_translation_index(settings["PATH"], multilang.language_codes(settings))
    multilang.install_language(generator.env, settings, index)


def register():
    signals.generator_init.connect(_on_generator_init)
    signals.content_object_init.connect(multilang.place_home_page)
    signals.article_generator_finalized.connect(multilang.drop_drafts)
    signals.page_generator_finalized.connect(multilang.drop_drafts)
