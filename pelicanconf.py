"""Development settings: root-relative URLs, no network.

Run through sitekit.build (``invoke build``), which makes one subsite per
language from these settings. Production overrides are in publishconf.py."""

import os

AUTHOR = "Torture prevention site kit"
SITENAME = "No to Torture"
# The site name in each language (SITENAME is set from it per subsite).
SITENAMES = {"en": "No to Torture", "ru": "Нет пыткам", "ky": "Кыйноого жол жок"}
SITEURL = ""  # root-relative links: the dev site is served from http://localhost:8000/
# Absolute address for the sitemap and feeds, which need one even in development.
SITE_ABSOLUTE_URL = "http://localhost:8000"
FEED_DOMAIN = SITE_ABSOLUTE_URL

PATH = "content"
THEME = "theme"
THEME_STATIC_DIR = "theme"
THEME_TRANSLATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "theme", "translations")
TIMEZONE = "Asia/Bishkek"

# Languages: the first is the main one, served at /; the others at /<code>/.
# The language of a page comes from its folder, content/<code>/...
LANGUAGES = [
    {"code": "en", "name": "English"},
    {"code": "ru", "name": "Русский"},
    {"code": "ky", "name": "Кыргызча"},
]
MAIN_LANG = LANGUAGES[0]["code"]
DEFAULT_LANG = MAIN_LANG

# The hotline shown in every page's header comes from content/data/hotline.yml
# (plugin `sitedata`, which puts it into the templates as HOTLINE).

# Quick exit ("Exit this page" on every page, or Shift pressed three times)
# leaves for this neutral address. A weather site, because checking the
# weather is what anyone does many times a day, so it looks ordinary on the
# screen and in history. Gismeteo, because it is in Russian, which most
# readers here read, and is widely used in Kyrgyzstan; an English site would
# look odd on a Kyrgyz or Russian reader's phone. Change it here if needed.
QUICK_EXIT_URL = "https://www.gismeteo.ru/"

# Content-Security-Policy of every page (a <meta> tag, see
# theme/templates/partials/head_security.html). Servers should send the same
# as a header plus frame-ancestors: docs/security-headers.md.
# 'wasm-unsafe-eval' lets search run Pagefind's WebAssembly; it allows no
# eval() of script text.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; "
    "form-action 'self'; base-uri 'self'"
)

# Listed explicitly: Pelican would otherwise load every installed namespace
# plugin. They are modules of the installed kit (sitekit/plugins/).
PLUGINS = [
    "sitekit.plugins.multilang",
    "sitekit.plugins.sitedata",
    "sitekit.plugins.editorial",
    "sitekit.plugins.events",
    "sitekit.plugins.news",
    # After events: reads the events it publishes (EVENTS) for their share images.
    "sitekit.plugins.reach",  # link previews, share links, rights card, robots.txt
]

# Slugs come from file names, never from titles: translations share a file
# name, and Russian and Kyrgyz titles slugify differently.
SLUGIFY_SOURCE = "basename"
# Addresses (ARTICLE_URL, PAGE_URL, the posts listing, search, feed, 404)
# are set by the build from sitekit/core/urls.py, the one table of the
# site's addresses.
DIRECT_TEMPLATES = ["index", "404", "search"]
# Drafts are never published, so no page ends up under drafts/.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
# Categories, tags and authors get no pages of their own: their names differ
# per language, so they could not be linked as translations.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
DEFAULT_PAGINATION = False
STATIC_PATHS = ["images"]

CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Pelican's default Markdown set-up, except that aligned table cells get an
# align attribute instead of style="" (inline styles are refused by the CSP).
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {"tables": {"use_align_attribute": True}},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "autoescape": True,  # content is marked safe on purpose, in the templates
    "trim_blocks": True,
    "lstrip_blocks": True,
    # Each Pelican run makes a new environment: no need to stat every
    # template again on each of thousands of pages.
    "auto_reload": False,
}

CACHE_PATH = ".cache/content"  # per language below it; uncompressed pickles
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "mtime"
# Uncompressed: gzipping the cache cost ~1 s of CPU per build at 3,000 articles.
GZIP_CACHE = False

# Language runs at once, each in a process of its own (sitekit/workers.py):
# None is one per core; 1 runs them one after the other in one process.
BUILD_JOBS = None

# Run on the finished site before it is swapped in: "module:function".
POST_BUILD_STEPS = [
    "sitekit.search:index_site",  # Pagefind: one search index per language
]
LIVERELOAD = False
READERS = {"rst": None}  # Markdown only; docutils has no Kyrgyz localisation

# Editors: the translation status page (development only) and `invoke check`.
TRANSLATION_STATUS_PAGE = True
REVIEW_MAX_AGE_DAYS = 365
# Validators of data files, schedules and feeds ("module:function", taking the
# settings and returning a list of sitekit.core.errors.ContentError): the same code
# the build runs, so `invoke check` and the build never disagree.
CONTENT_VALIDATORS = [
    "sitekit.plugins.events:check",
    "sitekit.plugins.news.feeds:check",
    "sitekit.plugins.sitedata.sitedata:check",
]
# News from RSS/Atom feeds (plugins/news, docs/news.md). The build only reads
# the cache; `invoke news` fetches, and so does the publish build when
# NEWS_FETCH_ON_PUBLISH is true (publishconf.py: off unless asked for).
# Every NEWS_* setting and its default (time limits, size cap, feeds at a
# time, how many items where): sitekit/plugins/news/settings.py; set one
# here to change it.
_HERE = os.path.dirname(os.path.abspath(__file__))
NEWS_FEEDS_PATH = os.path.join(_HERE, "content", "data", "feeds.yml")
NEWS_CACHE_PATH = os.path.join(_HERE, "content", "data", "news-cache.json")
# The site's topic, per language: the news page lists the items that mention
# one of these. Matching is from the start of a word ("пытк" finds "пытки",
# "пытках"; "пыток" needs its own entry). Kyrgyz pages also show
# Russian-language feeds, so the Kyrgyz list carries Russian words too.
NEWS_TOPIC_KEYWORDS = {
    "en": [
        "torture",
        "ill-treatment",
        "cruel treatment",
        "inhuman",
        "degrading treatment",
        "detention",
        "detainee",
        "prison",
        "custody",
        "pre-trial",
        "ombudsperson",
        "ombudsman",
        "Akyikatchy",
        "human rights",
        "OPCAT",
        "preventive mechanism",
    ],
    "ru": [
        "пытк",
        "пыток",
        "жестокое обращение",
        "бесчеловечн",
        "унижающ",
        "задержанн",
        "заключенн",
        "СИЗО",
        "ИВС",
        "тюрьм",
        "исправительн",
        "омбудсмен",
        "Акыйкатчы",
        "права человека",
        "прав человека",
        "правозащит",
        "превентивн механизм",
    ],
    "ky": [
        "кыйноо",
        "кыйна",
        "катаал мамиле",
        "камак",
        "түрмө",
        "кармалган",
        "Акыйкатчы",
        "омбудсмен",
        "адам укуктар",
        "укук коргоо",
        "пытк",
        "пыток",
        "права человека",
        "прав человека",
        "правозащит",
        "СИЗО",
    ],
}
