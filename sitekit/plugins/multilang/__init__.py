"""Pelican glue for the language subsites; the logic is in multilang.py."""

from pelican import signals

from sitekit.core.site import build_context

from . import multilang


def _on_generator_init(generator):
    """Every generator of a run gets the run's one Jinja environment (the
    first generator's): each loaded and kept every template again, and
    what the plugins put into them is the same for every generator of a
    run (this language's gettext, filters and globals)."""
    settings = generator.settings
    key = f"jinja-environment-{settings['DEFAULT_LANG']}"
    shared = build_context(settings).once(key, lambda: generator.env)
    if shared is not generator.env:
        generator.env = shared
        return
    index = settings.get("TRANSLATION_INDEX")
    if index is None:
        index = multilang.build_translation_index(settings["PATH"], multilang.language_codes(settings))
    multilang.install_language(generator.env, settings, index)


def register():
    signals.generator_init.connect(_on_generator_init)
    signals.content_object_init.connect(multilang.place_home_page)
    signals.article_generator_finalized.connect(multilang.drop_drafts)
    signals.page_generator_finalized.connect(multilang.drop_drafts)
    signals.article_generator_finalized.connect(multilang.remember_urls)
    signals.page_generator_finalized.connect(multilang.remember_urls)
