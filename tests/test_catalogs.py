"""Theme strings: every template string is in the catalogs and translated;
compiled catalogs are rewritten only when they change."""

import shutil
import time

from conftest import ROOT

from sitekit import catalogs

TRANSLATIONS = ROOT / "theme" / "translations"


def test_every_template_string_is_translated_in_ru_and_ky(tmp_path):
    template = catalogs.extract(ROOT / "theme" / "templates", tmp_path / "messages.pot")
    wanted = {m.id for m in template if m.id}
    assert wanted, "no translatable strings found in the templates"
    for lang in ("ru", "ky"):
        from babel.messages.pofile import read_po

        with open(catalogs.po_path(TRANSLATIONS, lang), "rb") as fh:
            catalog = read_po(fh, locale=lang)
        have = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        assert sorted(wanted - have) == [], f"{lang}: run `invoke catalogs-update` and translate these"


def test_compile_writes_a_catalog_only_when_it_changed(tmp_path):
    # The dev server watches the translations folder: a build that rewrote
    # unchanged .mo files set off the next build, for ever.
    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations, ignore=shutil.ignore_patterns("*.mo"))
    first = catalogs.compile_all(translations)
    assert sorted(p.parent.parent.name for p in first) == ["ky", "ru"]
    stamps = {p: p.stat().st_mtime_ns for p in first}
    time.sleep(0.01)  # so that a rewrite would show in the modification time
    assert catalogs.compile_all(translations) == []
    assert {p: p.stat().st_mtime_ns for p in first} == stamps
    po = catalogs.po_path(translations, "ru")
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "Only here"\nmsgstr "Только здесь"\n', "utf-8")
    assert [p.parent.parent.name for p in catalogs.compile_all(translations)] == ["ru"]
    assert list(translations.rglob("*.partial.mo")) == []
