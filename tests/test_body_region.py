"""The article's container speeds the body up, and never costs the body its text."""

from __future__ import annotations

from archiver.extract import extract_article

SENTENCES = [
    "The night market opened its first stall at dusk, and by eight the queue reached the river bridge.",
    "A family from the coast sells grilled fish on skewers, salted the way their grandmother did it.",
    "Further down, two brothers run a noodle cart they built themselves from an old delivery bicycle.",
    "The council has promised lights along the quay before the winter, when the market moves indoors.",
]


def test_a_container_that_trafilatura_cuts_down_is_read_from_the_whole_page() -> None:
    # The article's text comes in blocks, each classed as content ("article__content"): read from the
    # article container alone (trafilatura without its fallbacks), only the first block is kept.
    blocks = "".join(
        f"<div class='article__content rich-text'><p>{s}</p><p>{s} Part {n}.</p><p>{s} Part {n}, again.</p></div>"
        "<figure><img src='/m.jpg' alt=''><figcaption>The market</figcaption></figure>"
        for n, s in enumerate(SENTENCES)
    )
    html = (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/food'>Food</a></nav>"
        f"<article class='story'><h1>The night market</h1>{blocks}</article>"
        "<footer><p>© The Harbour Gazette</p></footer></body></html>"
    )
    body = extract_article(html.encode(), "https://news.example.org/food/night-market").body or ""
    for sentence in SENTENCES:
        assert sentence in body
