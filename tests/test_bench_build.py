"""The build benchmark runs end to end on a small corpus (the full one,
1,000 articles per language, is `invoke bench`)."""

import re

from sitekit.bench import PARTS, build


def test_corpus_links_translations_by_file_name(tmp_path):
    content = build.write_corpus(tmp_path, articles=3)
    for lang in build.LANGS:
        names = sorted(p.name for p in (content / lang / "posts").glob("*.md"))
        assert names == ["post-0001.md", "post-0002.md", "post-0003.md"]
    ky = (content / "ky" / "posts" / "post-0002.md").read_text("utf-8")
    assert "{filename}post-0003.md" in ky
    # Plain Pelican takes language and slug from the path; this site from the folder.
    found = re.fullmatch(build.PLAIN_PATH_METADATA, "ky/posts/post-0002.md")
    assert found.groupdict() == {"lang": "ky", "slug": "post-0002"}


def test_benchmark_prints_every_figure_on_a_small_corpus():
    assert "sitekit.bench.build" in PARTS
    lines = "\n".join(build.run(articles=10))
    for figure in (
        "(a) plain Pelican",
        "(b) this site",
        "search index",
        "ratio b/a",
        "(c) warm rebuild",
        "peak memory",
    ):
        assert figure in lines, lines
