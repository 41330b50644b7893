"""Build tooling of the site kit: the multilingual build, catalogs, sitemap,
dev server. Pelican plugins live in plugins/; this is what drives them."""
