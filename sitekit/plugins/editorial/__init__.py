"""Editors' tools inside the build: the translation status page."""

from pelican import signals

from .status import TranslationStatusGenerator, prepare

__all__ = ["prepare", "register"]


def _generators(pelican):
    return TranslationStatusGenerator


def register():
    signals.get_generators.connect(_generators)
