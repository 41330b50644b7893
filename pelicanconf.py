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

# The hotline shown in every page's header (a tel: link).
HOTLINE = {"number": "+996 312 91 04 07", "tel": "+996312910407"}

PLUGIN_PATHS = ["plugins"]
# Listed explicitly: Pelican would otherwise load every installed namespace plugin.
PLUGINS = ["multilang"]

# Slugs come from file names, never from titles: translations share a file
# name, and Russian and Kyrgyz titles slugify differently.
SLUGIFY_SOURCE = "basename"
ARTICLE_URL = "posts/{slug}/"
ARTICLE_SAVE_AS = "posts/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
INDEX_SAVE_AS = "posts/index.html"
DIRECT_TEMPLATES = ["index", "404", "search"]
SEARCH_SAVE_AS = "search/index.html"
SEARCH_URL = "search/"
globals()["404_SAVE_AS"] = "404.html"
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

FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

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

# Run on the finished site before it is swapped in: "module:function".
POST_BUILD_STEPS = [
    "sitekit.search:index_site",  # Pagefind: one search index per language
]
LIVERELOAD = False
READERS = {"rst": None}  # Markdown only; docutils has no Kyrgyz localisation
