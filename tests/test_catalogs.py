"""Theme strings: every template string is in the catalogs and translated."""

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
