"""The data files (content/data/*.yml) on the site: regions, contacts, the
header's number, the OPCAT table. ``register`` connects Pelican's signals to
glue.py; the logic is in plain functions that tests call directly (see
sitedata.py for the map)."""

from pelican import signals

from sitekit.core.site import SiteSettings

from . import glue
from .reading import read_all


def _contacts(settings: dict):
    site = SiteSettings.from_pelican(settings)
    data, _ = read_all(site.data_dir, site.codes)
    return site.data_dir / "contacts.yml", (data.contacts.contacts if data.contacts else [])


def samples(settings: dict) -> list[tuple]:
    """For `invoke publish` (sitekit.exports): example contacts."""
    path, contacts = _contacts(settings)
    return [(path, None, f"example contact '{c.id}' (sample: true)") for c in contacts if c.sample]


def unconfirmed(settings: dict) -> list[str]:
    """For the readiness report: phone numbers nobody has yet confirmed by calling."""
    _, contacts = _contacts(settings)
    return [
        f"{c.id}: {ch.value} (seen {ch.seen.isoformat()})"
        for c in contacts
        for ch in c.channels
        if ch.type == "phone" and ch.confirmed is None
    ]


prepare = glue.prepare  # whole-site work, before the language runs (sitekit.build)


def register():
    signals.generator_init.connect(glue.on_generator_init)
    signals.content_object_init.connect(glue.on_content_object_init)
    signals.page_generator_finalized.connect(glue.on_pages_finalized)
