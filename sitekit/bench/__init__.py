"""`invoke bench`: each part is a module here with a `run() -> list[str]`
that measures one thing and returns the lines to print. Parts run in the
order of PARTS, in one process, so their ratios come from the same run."""

PARTS: list[str] = [
    "sitekit.bench.rebuild",
    "sitekit.bench.news",
    "sitekit.bench.pages",
    "sitekit.bench.build",
]
