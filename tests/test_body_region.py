"""The article's container speeds the body up, and never costs the body its text."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from archiver.extract import extract_article
from archiver.extract.body import (
    _LAYOUT_TAGS,
    _RESTORED_MOST,
    _discard_paths,
    _discarded_prose,
    _main_candidates,
    _missed_list_words,
    _missing_words,
    _prose_words,
    _with_discarded_prose,
    main_region,
    recall_adds,
    without_closing_calls,
    without_related_tail,
    without_repeated_runs,
    without_see_also_lines,
    without_server_errors,
)
from archiver.extract.document import parse_html

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


TEXT = "\n\n".join(SENTENCES)


@pytest.mark.parametrize(
    "heading",
    ["Related articles", "Auch interessant", "NOTAS RELACIONADAS", "Schon gelesen?", "You may also like", "Tags:"],
)
def test_a_list_of_other_articles_at_the_end_goes(heading: str) -> None:
    tail = f"{heading}\n\nThe ferry timetable changes in May\n\nA new bakery opens on the quay"
    assert without_related_tail(f"{TEXT}\n\n{TEXT}\n\n{tail}") == f"{TEXT}\n\n{TEXT}"


@pytest.mark.parametrize(
    "tail",
    [
        # a heading followed by text: the box of links was dropped, the article goes on
        f"Related articles\n\n{SENTENCES[0]}",
        "Related:\n\nKids:\n\nChildren seem to attract stuff.",
        # more than a third of the body after the heading: not a list at the end of an article
        f"Read more\n\nThe ferry timetable changes in May\n\n{TEXT}\n\n{TEXT}",
        # a line that only starts like such a heading
        "Related articles were published by the council last year in a long report\n\nThe ferry",
    ],
)
def test_text_after_a_related_heading_stays(tail: str) -> None:
    body = f"{TEXT}\n\n{TEXT}\n\n{tail}"
    assert without_related_tail(body) == body


def test_page_body_without_related_list() -> None:
    # The list is set as headlines with a line each: trafilatura keeps it as text.
    paragraphs = "".join(f"<p>{s} Day {n}.</p>" for n in range(3) for s in SENTENCES)
    related = "".join(
        f"<h4><a href='/food/{n}'>Another story from the quay, part {n}</a></h4><p>Published on the quay {n}</p>"
        for n in range(3)
    )
    html = (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        f"<div class='story'><h1>The night market</h1>{paragraphs}<p><strong>Auch interessant</strong></p>{related}"
        "</div></body></html>"
    )
    body = extract_article(html.encode(), "https://news.example.org/food/night-market").body or ""
    assert body.endswith(f"{SENTENCES[-1]} Day 2."), body[-200:]


@pytest.mark.parametrize(
    "calls",
    [
        "Subscribe now to our e-edition for the full story.\n\nFor the latest news download the Gazette app.",
        "Follow The Gazette on Twitter and Instagram @gazette.",
        "Nichts Neues verpassen! - Newsletter abonnieren",
        "¿Ya sabías que tenemos canal? Únete desde tu celular.",
        "© 2020 ®/TM Harbour Mills All Rights Reserved",
        "Sie können uns auch auf Instagram und Mastodon folgen.",
        "Enjoyed the walk? The harbour trust's podcast goes on in our weekly newsletter.",
    ],
)
def test_closing_calls_to_subscribe_or_follow_go(calls: str) -> None:
    assert without_closing_calls(f"{TEXT}\n\n{calls}") == TEXT


def test_a_call_inside_the_text_or_a_long_paragraph_stays() -> None:
    inside = f"Subscribe to the market's newsletter, the stall holders said.\n\n{TEXT}"
    assert without_closing_calls(inside) == inside
    long = f"{TEXT}\n\n{SENTENCES[0]} {SENTENCES[1]} {SENTENCES[2]} The council's newsletter said so."
    assert without_closing_calls(long) == long
    assert without_closing_calls("Subscribe to our newsletter") == "Subscribe to our newsletter"


def test_page_body_without_closing_call() -> None:
    paragraphs = "".join(f"<p>{s} Day {n}.</p>" for n in range(3) for s in SENTENCES)
    html = (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        f"<div class='story'><h1>The night market</h1>{paragraphs}"
        "<p>Subscribe now to our e-edition for the full story.</p></div></body></html>"
    )
    body = extract_article(html.encode(), "https://news.example.org/food/night-market").body or ""
    assert body.endswith(f"{SENTENCES[-1]} Day 2."), body[-200:]


@pytest.mark.parametrize(
    "line",
    [
        "Mire: El cantante da positivo a COVID-19",
        "À lire aussi » Ballonnements, lourdeurs : quel est votre profil digestif ?",
        "Lesen Sie auch: Die Fähre fährt wieder",
        "Related: The ferry timetable changes in May",
    ],
)
def test_lines_pointing_to_other_articles_go(line: str) -> None:
    body = f"{SENTENCES[0]}\n\n{line}\n\n{SENTENCES[1]}"
    assert without_see_also_lines(body) == f"{SENTENCES[0]}\n\n{SENTENCES[1]}"
    assert without_see_also_lines(f"{TEXT}\n\nRelated articles") == TEXT  # a list's heading left last
    assert without_see_also_lines(f"{TEXT}\n\nWeitere aktuelle Themen aus der Arbeitswelt") == TEXT
    assert without_see_also_lines(f"{TEXT}\n\nTemas") == TEXT


def test_lines_that_only_start_like_a_pointer_stay() -> None:
    body = f"{SENTENCES[0]}\n\nRelated work by the council showed the quay was too low.\n\n{SENTENCES[1]}"
    assert without_see_also_lines(body) == body
    long = f"See also: {SENTENCES[0]} {SENTENCES[1]}"
    assert without_see_also_lines(f"{long}\n\n{TEXT}") == f"{long}\n\n{TEXT}"


def test_page_body_without_see_also_line() -> None:
    paragraphs = [f"<p>{s} Day {n}.</p>" for n in range(3) for s in SENTENCES]
    paragraphs.insert(4, "<p><strong>Lesen Sie auch:</strong> <a href='/food/ferry'>Die Fähre fährt wieder</a></p>")
    html = (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        f"<div class='story'><h1>The night market</h1>{''.join(paragraphs)}</div></body></html>"
    )
    body = extract_article(html.encode(), "https://news.example.org/food/night-market").body or ""
    assert "Fähre" not in body and f"{SENTENCES[-1]} Day 0.\n\n{SENTENCES[0]} Day 1." in body, body


def test_sentences_that_name_subscribers_or_related_things_stay() -> None:
    """Only calls to the reader go, not a report's words: the last paragraphs of an article about
    a newsletter platform stay, and so does a closing sentence that opens like a list's heading."""
    report = (
        f"{TEXT}\n\nThe company now has two million subscribers, up from one million last year.\n\n"
        "Investigators say they will follow the money wherever it leads.\n\n"
        "Writers can move their newsletter elsewhere, and most readers subscribe to fewer than three."
    )
    assert without_closing_calls(report) == report
    assert without_see_also_lines(f"{TEXT}\n\nMore on this later.") == f"{TEXT}\n\nMore on this later."


#: Lines of an article's prose, each of ten words or more.
PROSE_LINES = [f"{sentence} Line {n}." for n in range(3) for sentence in SENTENCES]


def test_the_servers_error_messages_are_not_text() -> None:
    warning = "Warning: Creating default object from empty value in /www/htdocs/wp-includes/functions.php on line 292"
    strict = "Strict Standards: Non-static method G::get() should not be called statically in /www/g.php on line 7"
    assert without_server_errors("\n".join([warning, strict, SENTENCES[0], SENTENCES[1], warning])) == "\n".join(
        SENTENCES[:2]
    )
    said = "The manual says: Warning: never lift the lid in /dev/null on line 5 or later, it seems"
    assert without_server_errors(said) == said  # a sentence quoting one: not a line of its own
    # A notice of a service, not of a PHP file; a tutorial's output shown in the middle of its text.
    notice = "Notice: Weekend service suspended in Queens on line 7"
    assert without_server_errors(f"{notice}\n{SENTENCES[0]}") == f"{notice}\n{SENTENCES[0]}"
    shown = "Warning: Undefined variable $name in /var/www/html/index.php on line 3"
    tutorial = "\n".join([SENTENCES[0], shown, SENTENCES[1]])
    assert without_server_errors(tutorial) == tutorial
    html = (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        f"<b>Warning</b>:  Creating default object from empty value in <b>/www/htdocs/wp-includes/functions.php</b>"
        " on line <b>292</b><br />"
        f"<article><h1>The night market</h1>{''.join(f'<p>{s}</p>' for s in SENTENCES)}</article></body></html>"
    )
    body = extract_article(html.encode(), "https://news.example.org/food/night-market").body or ""
    assert SENTENCES[0] in body and "on line" not in body


def test_the_article_given_twice_is_kept_once() -> None:
    # A page holding its article twice (mobile and desktop copies): the second copy goes.
    text = "\n\n".join(PROSE_LINES[:6])
    assert without_repeated_runs(f"{text}\n\n{text}") == text
    # Lines that an article repeats on purpose (the same step in two recipes, a short refrain) stay.
    steps = "\n\n".join(PROSE_LINES[:4])
    refrain = "\n\n".join(["Serve hot."] * 6)
    again = f"{text}\n\nThe second recipe\n\n{steps}\n\n{refrain}"
    assert without_repeated_runs(again) == again
    html = (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        f"<article><h1>The night market</h1>{''.join(f'<p>{line}</p>' for line in PROSE_LINES[:6]) * 2}</article>"
        "</body></html>"
    )
    body = extract_article(html.encode(), "https://news.example.org/food/night-market").body or ""
    assert all(body.count(line) == 1 for line in PROSE_LINES[:6])
    # A song's chorus of five long lines after each stanza: a part of the text, sung again, stays.
    chorus = [f"And the harbour lights keep burning through the night, verse {n}" for n in range(5)]
    verses = [f"Stanza {s} line {n} tells the story of the old quay" for s in range(3) for n in range(4)]
    song = "\n\n".join(line for s in range(3) for line in [*verses[4 * s : 4 * s + 4], *chorus])
    assert without_repeated_runs(song) == song


def test_the_article_given_twice_with_its_short_headings_is_kept_once() -> None:
    # The second copy repeats the article's short headings too ("Prices", "Where to eat"): they split
    # it into runs each too small to be the article given twice; a short repeat continues a run.
    parts = [f"Part {n}\n\n" + "\n\n".join(PROSE_LINES[3 * n : 3 * n + 3]) for n in range(3)]
    text = "\n\n".join(parts)
    assert without_repeated_runs(f"{text}\n\nJoin our newsletter\n\n{text}") == f"{text}\n\nJoin our newsletter"
    # Given three times, its copies one after the other (a jump back to its first line between them):
    # both copies go.
    thrice = f"{text}\n\nJoin our newsletter\n\n{text}\n\n{text}"
    assert without_repeated_runs(thrice) == f"{text}\n\nJoin our newsletter"
    # A short line repeated after the text ("Share", "Posted On") is no run of its own.
    shared = f"{text}\n\nShare\n\nMore\n\nShare"
    assert without_repeated_runs(shared) == shared


def test_the_article_given_twice_with_a_pull_quote_repeating_a_line_is_kept_once() -> None:
    # The article repeats one of its long lines (a pull quote): in the second copy that line is read at
    # its next place, not as a jump back to its first, so the whole second copy goes.
    lines = PROSE_LINES[:8]
    copy = "\n\n".join([*lines[:6], lines[2], *lines[6:]])
    assert without_repeated_runs(f"Headline\n\n{copy}\n\n{copy}") == f"Headline\n\n{copy}"


def test_a_chorus_sung_again_is_no_article_given_twice() -> None:
    # A chorus of long lines with short ones between ("Oh, oh") sung twice in a row after the last
    # stanza: its short lines continue a run of repeats, but its lines jump back to the chorus's first
    # line, where a copy of an article repeats its lines in their order. The song stays whole.
    chorus = [
        "Carry me home across the water",
        "Oh, oh",
        "Carry me home before the night",
        "Oh, oh",
        "Carry me home to my mother's daughter",
        "Oh, oh",
    ]
    first = ["I left the harbour in the morning", "The gulls were crying on the pier"]
    second = ["The years went by like passing sailors", "I wore the coat my father wore"]
    song = "\n\n".join([*first, *chorus, *second, *chorus, *chorus])
    assert without_repeated_runs(song) == song


def _page_with_points(points: str) -> bytes:
    return (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/food'>Food</a></li></ul></nav>"
        f"<div class='page'><h1>The night market</h1><p>{SENTENCES[0]} {SENTENCES[1]}</p>"
        f"<p>{SENTENCES[2]} {SENTENCES[3]}</p>{points}<p>{SENTENCES[3]} {SENTENCES[0]}</p></div>"
        "<footer><p>© The Harbour Gazette</p></footer></body></html>"
    ).encode()


def test_the_articles_list_of_points_is_read_in_recall_mode() -> None:
    # A list of points of prose after a paragraph, in a page with no article container:
    # trafilatura's default mode leaves the list out, its recall mode keeps it.
    points = "".join(f"<li><strong>Point {n}:</strong> {line}</li>" for n, line in enumerate(PROSE_LINES[4:8]))
    body = extract_article(_page_with_points(f"<ul>{points}</ul>"), "https://news.example.org/food/night").body or ""
    for line in [*SENTENCES, *PROSE_LINES[4:8]]:
        assert line in body
    assert "Home" not in body and "Harbour Gazette" not in body


def test_a_list_item_with_inline_markup_is_found_in_the_text() -> None:
    # trafilatura's text has no space where the item's <b> ends before a comma: still the same words.
    item = "Point one: the <b>night market</b>, they say, opens at dusk every single day"
    tree = lxml.html.fromstring(f"<div><p>{SENTENCES[0]}</p><ul><li>{item}</li></ul></div>")
    text = f"{SENTENCES[0]}\nPoint one: the night market, they say, opens at dusk every single day"
    assert _missed_list_words(tree, text, 1000) == 0
    assert _missed_list_words(tree, SENTENCES[0], 1000) == 13


def test_a_list_of_short_links_after_the_text_is_not_read_again() -> None:
    links = "".join(f"<li><a href='/food/{n}'>More from the market, part {n}</a></li>" for n in range(6))
    body = extract_article(_page_with_points(f"<ul>{links}</ul>"), "https://news.example.org/food/night").body or ""
    assert SENTENCES[0] in body and "More from the market" not in body


def test_a_recall_reading_is_taken_only_when_it_adds_the_rest_of_the_article() -> None:
    text = "\n".join(PROSE_LINES[:4])
    assert recall_adds(text, "\n".join(PROSE_LINES[:6]))  # 1.5 times the words, in lines of prose
    assert not recall_adds("\n".join(PROSE_LINES[:6]), "\n".join(PROSE_LINES[:7]))  # under 1.2 times: not worth it
    assert not recall_adds(text, "\n".join(PROSE_LINES * 2))  # over 3 times: the whole page as the article
    assert not recall_adds(text, " ".join(PROSE_LINES[:6]))  # the page's text run together on one line
    labels = ["Share", "Petition", "Sign now", "0% of the goal", "More on this", "Learn more"] * 4
    assert not recall_adds(text, "\n".join(PROSE_LINES[:4] + PROSE_LINES[4:5] + labels))  # labels and buttons


def test_comments_and_pingbacks_in_the_articles_container_leave_the_article() -> None:
    # Genesis themes put the article, its comments and its pingbacks side by side in <main>: the
    # smallest element holding every comment is then the one holding the article (and its <h1>),
    # which must not be dropped as the comments' region (the body would be the page's menus).
    said = "Thank you, we tried the spray on our beans and it worked well, the beetles left within a week."

    def item(n: int, kind: str = "comment", replies: str = "") -> str:
        return (
            f"<li id='comment-{n}' class='{kind} depth-1'><article class='comment-body'><footer class='comment-meta'>"
            f"<b class='fn'>Reader {n}</b> <time datetime='2024-05-{n:02d}T10:00'>May {n}, 2024</time></footer>"
            f"<div class='comment-content'><p>{said}</p></div></article>{replies}</li>"
        )

    def chain(n: int, depth: int) -> str:  # a comment and its replies, each answering the one before
        return item(n, replies=f"<ul class='children'>{chain(n + 1, depth - 1)}</ul>" if depth > 1 else "")

    comments = "".join(chain(10 * n, 5) for n in range(1, 4))
    pings = "".join(item(n, "pingback") for n in range(4, 6))
    html = (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/about'>About the market and its stalls</a></li></ul></nav>"
        "<main class='content' id='genesis-content'><article class='post'><header><h1>The night market</h1></header>"
        f"<div class='entry-content'>{''.join(f'<p>{line}</p>' for line in PROSE_LINES)}</div></article>"
        f"<div class='entry-comments' id='comments'><h3>Comments</h3><ol class='comment-list'>{comments}</ol></div>"
        f"<div class='entry-pings'><h3>Pingbacks</h3><ol class='ping-list'>{pings}</ol></div></main></body></html>"
    )
    article = extract_article(html.encode(), "https://news.example.org/food/night-market")
    assert len(article.comments) == 17
    assert all(line in (article.body or "") for line in PROSE_LINES) and said not in (article.body or "")


#: A site's menu of sections and its footer: with them, the article is less than six sevenths of the
#: page's text, so that trafilatura's guard (nothing dropped when that would drop more) keeps out of it.
SECTIONS = ["Food and drink on the quay", "Markets and fairs", "The harbour at night", "Ferries and trains"] * 3
FOOTER = "The Harbour Gazette is written and printed on the quay by its readers and a small staff of editors."


def _page_around(article: str, after: str = "") -> bytes:
    menu = "".join(f"<li><a href='/{n}'>{section}</a></li>" for n, section in enumerate(SECTIONS))
    return (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        f"<nav><ul>{menu}</ul></nav><div class='page'><h1>The night market</h1>{article}</div>{after}"
        f"<footer><p>{FOOTER}</p><p>{FOOTER}</p></footer></body></html>"
    ).encode()


@pytest.mark.parametrize("layout", ["page1-footer", "space-y-[1em] bard", "listicle-slides"])
def test_an_article_in_a_container_named_like_boilerplate_is_read(layout: str) -> None:
    # The article's column holds a word of trafilatura's discard rules ("footer", "bar", "slide"):
    # trafilatura drops it (and readability, its fallback, passes it over), and the text would be
    # the four paragraphs before it.
    intro = "".join(f"<p>{sentence}</p>" for sentence in SENTENCES)
    paragraphs = "".join(f"<p>{line}</p>" for line in PROSE_LINES)
    html = _page_around(f"{intro}<div class='{layout}'>{paragraphs}</div>")
    body = extract_article(html, "https://news.example.org/food/night-market").body or ""
    for line in [*SENTENCES, *PROSE_LINES]:
        assert line in body
    assert FOOTER not in body and SECTIONS[0] not in body


def test_boxes_named_as_other_parts_stay_out_when_the_article_is_short() -> None:
    # A short article beside longer prose that trafilatura's rules drop and that is not the article's:
    # an author's biography, a box of related stories, a sidebar's text: none is put back.
    bio = "".join(f"<p>{line}</p>" for line in PROSE_LINES[:6])
    related = "".join(f"<p>{line}</p>" for line in PROSE_LINES[6:])
    after = (
        f"<div class='author-box'>{bio}</div><div class='related-stories'>{related}</div>"
        f"<aside><div class='sidebar-text'>{bio}</div></aside><div class='comment-sidebar'>{related}</div>"
    )
    html = _page_around("".join(f"<p>{s} {s}</p>" for s in SENTENCES), after)
    body = extract_article(html, "https://news.example.org/food/night-market").body or ""
    assert SENTENCES[2] in body
    assert not any(line in body for line in PROSE_LINES)


def _column(name: str, lines: list[str], attributes: str = "") -> str:
    return f"<div class='{name}'{attributes}>" + "".join(f"<p>{line}</p>" for line in lines) + "</div>"


def test_a_collapsed_accordion_panel_is_read() -> None:
    # Panels hidden until their heading's button opens them: a region labelled by the button, and a
    # panel a button's aria-controls names.
    buttons = [
        "<button id='q1' aria-controls='a1'>When does it open?</button>",
        "<button id='q2' aria-controls='a2'>Where is it?</button>",
    ]
    panels = [
        _column("panel", PROSE_LINES[:9], " id='a1' role='region' aria-labelledby='q1' style='display:none'"),
        _column("panel", PROSE_LINES[9:], " id='a2' style='display: none'"),
    ]
    intro = "".join(f"<p>{sentence}</p>" for sentence in SENTENCES)
    html = _page_around(f"{intro}{buttons[0]}{panels[0]}{buttons[1]}{panels[1]}")
    body = extract_article(html, "https://news.example.org/food/night-market").body or ""
    assert all(line in body for line in [*SENTENCES, *PROSE_LINES])
    # (on a page this small trafilatura's fallback finds the panels too: the rule's choice, checked)
    assert [el.get("id") for el in _discarded_prose(lxml.html.fromstring(html))] == ["a1", "a2"]
    # a hidden box no control opens is not chosen
    unopened = html.replace(b"aria-labelledby='q1'", b"").replace(b"aria-controls=", b"data-x=")
    assert _discarded_prose(lxml.html.fromstring(unopened)) == []


FRENCH_HIDDEN = [
    f"Le marché de nuit ouvre son premier étal au crépuscule, et la file atteint le pont vers {n} heures du soir."
    for n in range(8, 17)
]
#: Prose of a box beside the article, as long as the article nearly: trafilatura drops the box, and the
#: text (the article) holds under half the page's paragraph words.
BOX = [
    f"Box line {n}: the ferry to the north runs daily from May, and the harbour gets new benches, lamps and a kiosk."
    for n in range(9)
]


def _short_article_with(box: str) -> str:
    """The body of a page of a short article (six paragraphs) and a box after it."""
    article = "".join(f"<p>{PROSE_LINES[n]} {PROSE_LINES[n + 6]}</p>" for n in range(6))
    html = _page_around(article, box).replace(b"<html>", b"<html lang='en'>")
    body = extract_article(html, "https://news.example.org/food/night-market").body or ""
    assert all(f"{PROSE_LINES[n]} {PROSE_LINES[n + 6]}" in body for n in range(6))
    return body


def test_a_box_of_prose_trafilatura_drops_is_read_beside_a_short_article() -> None:
    # (what the boxes below would be without their names, hidden state, language or cards)
    body = _short_article_with(_column("w-embed", BOX))
    assert all(line in body for line in BOX)


@pytest.mark.parametrize(
    "box",
    [
        # a paywall's message, hidden until it is shown over the article
        _column("paywall-message", BOX, " aria-hidden='true'"),
        # a hidden box no control opens
        _column("w-embed", BOX, " style='display: none'"),
        # the article in another language, hidden (a toggle of the page's scripts shows it)
        _column("w-embed", FRENCH_HIDDEN, " lang='fr' style='display:none'"),
        # an author's box, named in Spanish, and a contributor's profile
        _column("caja-autor entry-meta", BOX),
        _column("contributor user-profile", BOX),
        # teaser cards: a linked heading and an excerpt each
        "<section class='weitere-artikel-slider'>"
        + "".join(
            f"<div class='card'><h3><a href='/f{n}'>Fähre {n}</a></h3><p>{line}</p></div>" for n, line in enumerate(BOX)
        )
        + "</section>",
        # a gallery: a picture and its caption each
        "<div class='gallery-slides'>"
        + "".join(f"<div class='photo'><img src='/{n}.jpg'><p>{line}</p></div>" for n, line in enumerate(BOX))
        + "</div>",
    ],
    ids=["paywall", "hidden", "translation", "autor", "contributor", "teasers", "gallery"],
)
def test_hidden_boxes_author_boxes_teaser_cards_and_galleries_stay_out(box: str) -> None:
    body = _short_article_with(box)
    assert not any(line in body for line in [*BOX, *FRENCH_HIDDEN])


@pytest.mark.parametrize(
    "around",
    [
        "<form action='/subscribe'>{}</form>",
        "<header>{}</header>",
        "<div id='sidebar'>{}</div>",
        "<div class='main-menu'>{}</div>",
        "<div role='navigation'>{}</div>",
    ],
)
def test_prose_in_menus_sidebars_header_and_forms_is_not_put_back(around: str) -> None:
    column = _column("w-embed", PROSE_LINES)
    tree = lxml.html.fromstring(_page_around("<p>A short text.</p>", around.format(column)))
    assert _discarded_prose(tree) == []
    # the same column outside them is
    tree = lxml.html.fromstring(_page_around("<p>A short text.</p>", column))
    assert [el.get("class") for el in _discarded_prose(tree)] == ["w-embed"]


def test_only_the_outermost_dropped_element_is_put_back_and_few_of_them() -> None:
    # Nested columns that trafilatura's rules drop: the outermost one is put back with what it holds
    # (one walk of the page); of many, the first _RESTORED_MOST.
    nested = _column("w-embed", PROSE_LINES)
    for _ in range(50):
        nested = f"<div class='w-embed'>{nested}</div>"
    tree = lxml.html.fromstring(_page_around("<p>A short text.</p>", nested))
    found = _discarded_prose(tree)
    assert len(found) == 1 and found[0].getparent().tag == "body"
    tree = lxml.html.fromstring(_page_around("<p>A short text.</p>", _column("w-embed", PROSE_LINES) * 30))
    assert len(_discarded_prose(tree)) == _RESTORED_MOST


def test_trafilaturas_discard_rules_are_made_tests_of_the_element_itself() -> None:
    # The rules are written ".//*[...]" in trafilatura: each must become "self::*[...]" (a rule
    # spelt otherwise would test the element's descendants, and put back what holds a menu).
    paths = _discard_paths()
    assert paths and all(path.startswith("self::*[") for path in paths)


def test_the_reading_again_is_kept_only_when_it_adds_the_restored_prose() -> None:
    # The page's intro is not in the text given, and not in the column put back: the reading adds it,
    # and more of its words than the column's: not the text with the rest of the article.
    intro = "".join(f"<p>{s} {s} {s}</p>" for s in SENTENCES)
    html = _page_around(intro + _column("w-embed", PROSE_LINES[:4]))
    url = "https://news.example.org/food/night-market"
    tree = lxml.html.fromstring(html)
    assert _with_discarded_prose(tree, url, SENTENCES[0]) == SENTENCES[0]
    # A text of which the reading keeps none of the lines is not replaced either.
    other = "\n".join(f"Another text of the page, line {n}, that the reading does not hold." for n in range(4))
    html = _page_around("<p>A short text.</p>" + _column("w-embed", PROSE_LINES))
    assert _with_discarded_prose(lxml.html.fromstring(html), url, other) == other
    # The column alone is: the text given, and the column's lines after it.
    more = _with_discarded_prose(lxml.html.fromstring(html), url, "A short text.") or ""
    assert all(line in more for line in PROSE_LINES)


def test_markup_after_a_stray_closing_html_tag_is_the_bodys() -> None:
    # A template closes the page after its header ("</body></html>") and the article follows: libxml2
    # makes what follows a second top-level <html> nobody reads; a browser shows it as the body's.
    html = (
        "<!DOCTYPE html><html><head><title>Night market</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/food'>Food</a></nav></header></body></html>\n"
        "<div class='blog-detail'><h1>The night market</h1>"
        + "".join(f"<p>{line}</p>" for line in PROSE_LINES)
        + f"</div><footer><p>{FOOTER}</p></footer><script>var x = 1;</script></body></html>"
    )
    root = parse_html(html)
    assert [child.tag for child in root.find("body")] == ["header", "div", "footer", "script"]
    body = extract_article(html.encode(), "https://news.example.org/food/night-market").body or ""
    assert all(line in body for line in PROSE_LINES)
    assert FOOTER not in body
    # a page closed once, at its end, is parsed as before
    assert [child.tag for child in parse_html("<html><body><p>One.</p></body></html>").find("body")] == ["p"]


def test_a_list_after_an_empty_paragraph_beside_the_text_is_read_in_recall_mode() -> None:
    # Webflow's rich text puts an empty paragraph ("<p>&zwj;</p>") before its lists: the list follows no
    # block of the text, but it sits beside the text's paragraphs, in the same block.
    points = "".join(f"<li>{line}</li>" for line in PROSE_LINES[4:8])
    html = _page_with_points(f"<p>\u200d</p><ul>{points}</ul>")
    body = extract_article(html, "https://news.example.org/food/night").body or ""
    for line in [*SENTENCES, *PROSE_LINES[4:8]]:
        assert line in body
    assert "Home" not in body and "Harbour Gazette" not in body


def test_a_list_beside_no_paragraph_of_the_text_is_not_read_again() -> None:
    # Long items in a block of the page whose paragraphs the text does not hold (a mega-menu's blurbs).
    items = "".join(f"<li>{line}</li>" for line in PROSE_LINES[4:8])
    tree = lxml.html.fromstring(
        f"<div><div class='menu-column'><p>Our services for markets and fairs</p><ul>{items}</ul></div>"
        f"<div class='text'><p>{SENTENCES[0]}</p><p>{SENTENCES[1]}</p></div></div>"
    )
    assert _missed_list_words(tree, f"{SENTENCES[0]}\n{SENTENCES[1]}", 1000) == 0


@pytest.mark.parametrize(
    ("name", "after"),
    [
        ("faq w-embed", True),  # inside the text: a paragraph of it follows
        ("accordion-pane w-embed", False),  # the last of an accordion's panels, after the text
    ],
)
def test_prose_trafilatura_drops_in_the_articles_container_is_read(name: str, after: bool) -> None:
    # The article's container holds most of the page's paragraphs, and within it a box of prose
    # classed with a word of trafilatura's discard rules ("w-embed"): the text read from the
    # container holds more than half the page's paragraph words, but not the box's.
    intro = "".join(f"<p>{line}</p>" for line in PROSE_LINES[:-1])
    close = f"<p>{PROSE_LINES[-1]}</p>"
    box = _column(name, BOX[:5])
    inner = intro + (box + close if after else close + box)
    html = _page_around(f"<article class='post'>{inner}</article>")
    body = extract_article(html, "https://news.example.org/food/night-market").body or ""
    assert all(line in body for line in [*PROSE_LINES, *BOX[:5]])
    assert FOOTER not in body and SECTIONS[0] not in body


@pytest.mark.parametrize(
    "name",
    ["post-footer", "cta-banner", "disclaimer-bar", "user-rating", "more-stories", "article-meta", "next-article"],
)
def test_a_box_after_the_text_in_the_articles_container_stays_out(name: str) -> None:
    # A box after the article's last paragraph (a bio, a call to action, a disclaimer, readers'
    # ratings, teasers), named by no word of the vocabularies of parts that are not the article's:
    # the page's, not the article's, however much prose it holds.
    intro = "".join(f"<p>{PROSE_LINES[n]} {PROSE_LINES[n + 6]}</p>" for n in range(6))
    html = _page_around(f"<article class='post'>{intro}{_column(name, BOX[:4])}</article>")
    html = html.replace(b"<html>", b"<html lang='en'>")
    body = extract_article(html, "https://news.example.org/food/night-market").body or ""
    assert all(f"{PROSE_LINES[n]} {PROSE_LINES[n + 6]}" in body for n in range(6))
    assert not any(line in body for line in BOX)


FRENCH = [
    "Le marché de nuit a ouvert son premier stand au crépuscule, et à huit heures la file atteignait le pont.",
    "Les vendeurs proposaient du calamar grillé, du riz gluant et de la mangue, et l'odeur du charbon flottait.",
    "Une fanfare jouait près de la fontaine pendant que les enfants couraient entre les lanternes et les tables.",
    "Le conseil affirme que le marché ouvrira chaque vendredi cet été si la foule continue de venir nombreuse.",
]


def test_a_box_in_another_language_in_the_articles_container_stays_out() -> None:
    # The page is in English; a translation embedded in the article (lang='fr'), inside the text.
    intro = "".join(f"<p>{PROSE_LINES[n]} {PROSE_LINES[n + 6]}</p>" for n in range(5))
    close = f"<p>{PROSE_LINES[5]} {PROSE_LINES[11]}</p>"
    box = _column("translation embed", FRENCH, " lang='fr'")
    html = _page_around(f"<article class='post'>{intro}{box}{close}</article>").replace(b"<html>", b"<html lang='en'>")
    body = extract_article(html, "https://news.example.org/food/night-market").body or ""
    assert all(f"{PROSE_LINES[n]} {PROSE_LINES[n + 6]}" in body for n in range(6))
    assert not any(line in body for line in FRENCH)
    # the same box in a page in French is the article's
    french = html.replace(b"lang='en'", b"lang='fr'")
    assert all(line in (extract_article(french, "https://news.example.org/food/n").body or "") for line in FRENCH)


def test_boxes_named_as_other_parts_in_the_articles_container_stay_out() -> None:
    # The same container with an author's box and a box of related stories, both of prose.
    intro = "".join(f"<p>{line}</p>" for line in PROSE_LINES)
    boxes = _column("author-box", BOX[:5]) + _column("related-stories", BOX[5:])
    html = _page_around(f"<article class='post'>{intro}{boxes}</article>")
    body = extract_article(html, "https://news.example.org/food/night-market").body or ""
    assert all(line in body for line in PROSE_LINES)
    assert not any(line in body for line in BOX)


def _page_of_six_paragraphs_and(after: str) -> bytes:
    """A page with no article container: six paragraphs of the article, then ``after`` in the same block."""
    article = "".join(f"<p>{PROSE_LINES[n]} {PROSE_LINES[n + 6]}</p>" for n in range(6))
    return (
        "<!DOCTYPE html><html lang='en'><head><title>Night market</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/food'>Food</a></li></ul></nav>"
        f"<div class='page'><h1>The night market</h1>{article}{after}</div>"
        "<footer><p>© The Harbour Gazette</p></footer></body></html>"
    ).encode()


@pytest.mark.parametrize(
    "lead",
    [
        "<h3>5 Responses</h3>",  # readers' comments
        "<h3>More stories</h3>",  # teasers of related stories
        "<div>You may also like</div>",
        "<h4>Popular this week</h4>",
        "<h4>About the author</h4>",  # the author's bio in points
        "<div class='tags'><a href='/t/food'>food</a> <a href='/t/harbour'>harbour</a></div>",
    ],
)
def test_a_list_after_the_articles_last_paragraph_is_not_read_again(lead: str) -> None:
    # A list after the text's last paragraph, under a short heading, is the page's (comments, related
    # stories, a bio), not the article's points: no paragraph of the text follows it.
    items = "".join(f"<li>{line}</li>" for line in BOX[:5])
    html = _page_of_six_paragraphs_and(f"{lead}<ol class='responses'>{items}</ol>")
    body = extract_article(html, "https://news.example.org/food/night-market").body or ""
    assert all(f"{PROSE_LINES[n]} {PROSE_LINES[n + 6]}" in body for n in range(6))
    assert not any(line in body for line in BOX)
    tree = parse_html(html.decode())
    text = "\n".join(f"{PROSE_LINES[n]} {PROSE_LINES[n + 6]}" for n in range(6))
    assert _missed_list_words(tree, text, 1000) == 0


def test_counting_a_lists_missed_words_stops_past_the_limit() -> None:
    # Each long item is a search of the whole text: the count stops once it decides the question.
    items = "".join(f"<li>{line}</li>" for line in BOX)
    tree = lxml.html.fromstring(f"<div><p>{SENTENCES[0]}</p><ul>{items}</ul></div>")
    every = _missed_list_words(tree, SENTENCES[0], 1000)
    assert every == sum(len(line.split()) for line in BOX)
    assert _missed_list_words(tree, SENTENCES[0], 1) == len(BOX[0].split())


def test_counting_a_boxs_missing_words_stops_past_the_limit() -> None:
    box = lxml.html.fromstring(_column("faq w-embed", BOX))
    assert _missing_words([box], SENTENCES[0], 1000) == sum(len(line.split()) for line in BOX)
    assert _missing_words([box], SENTENCES[0], 1) == len(BOX[0].split())
    assert _missing_words([box], "\n".join(BOX), 1) == 0


#: The XPath that once found main_region's candidates (``//``: the whole document, not only the root).
_CANDIDATES_BY_XPATH = etree.XPath(
    "//@itemprop[. = 'articleBody']/.. | //article | //@class[contains(., 'entry-content')"
    " or contains(., 'post-content') or contains(., 'article-body') or contains(., 'post-body')]/.."
)


def test_a_page_sent_twice_has_two_article_containers() -> None:
    # A server sends the page twice: libxml2 makes the second copy a second top-level <html> beside the
    # root (load_page leaves it out of the body). Its container is the document's second: no one
    # container holds the article, and the whole page is read, the lede outside the container with it.
    lede = "An introduction outside the container, in a box of its own, opens the story of the market."
    page = (
        "<html lang='en'><head><title>Night market</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<div class='post-text'><p>{lede}</p></div>"
        "<div class='entry-content'>" + "".join(f"<p>{line}</p>" for line in PROSE_LINES) + "</div>"
        f"<footer><p>{FOOTER}</p></footer></body></html>"
    )
    url = "https://news.example.org/food/night-market"
    once, twice = parse_html(page), parse_html(page + page)
    assert _main_candidates(once) == _CANDIDATES_BY_XPATH(once)
    assert main_region(once) is not None
    assert len(_main_candidates(twice)) == 2
    assert _main_candidates(twice) == _CANDIDATES_BY_XPATH(twice)
    assert main_region(twice) is None
    body = extract_article(page + page, url).body or ""
    assert lede in body
    assert all(line in body for line in PROSE_LINES)
    assert body.count(PROSE_LINES[0]) == 1


def _prose_words_element_by_element(tree: lxml.html.HtmlElement) -> tuple[dict, dict]:
    """The paragraph words under each element and those in links, over every element, children first
    (the walk ``_prose_words`` once was)."""
    prose: dict = {}
    linked: dict = {}
    for el in reversed([el for el in tree.iter() if isinstance(el.tag, str)]):
        parent = el.getparent()
        if parent is None:
            continue
        if el.tag == "p":
            n = len(" ".join(el.itertext()).split())
            links = sum(len(" ".join(a.itertext()).split()) for a in el.iter("a"))
        else:
            n, links = prose.get(el, 0), linked.get(el, 0)
        if n and el.tag not in _LAYOUT_TAGS:
            prose[parent] = prose.get(parent, 0) + n
            linked[parent] = linked.get(parent, 0) + links
    return prose, linked


def test_paragraph_words_are_counted_alike_however_deep_the_page_nests() -> None:
    # A forum whose posts never close their <div>: each post is nested in the one before, 300 deep.
    # Posts in a menu and a form count there and not above; a paragraph in a paragraph counts in it.
    posts = "".join(
        f"<div class='post'><p>Reply {n}: <a href='/u/{n}'>a member</a> says the ferry is late.</p>" for n in range(300)
    )
    tree = parse_html(
        f"<html><body><nav><div><p>Home and <a href='/'>the front page</a></p></div></nav>"
        f"<form><p>Write a reply here</p></form>{posts}</body></html>"
    )
    deepest = list(tree.iter("p"))[-1].getparent()
    outer = etree.SubElement(deepest, "p")
    outer.text = "A quoted post:"
    etree.SubElement(etree.SubElement(outer, "div"), "p").text = "the ferry was late again today"
    prose, linked = _prose_words(tree)
    assert (prose, linked) == _prose_words_element_by_element(tree)
    body = tree.find("body")
    assert (prose[body], linked[body]) == (300 * 9 + 9, 300 * 2)  # the posts, the quote; not the menu, the form
    assert (prose[body.find("nav")], prose[body.find("form")], prose[outer]) == (5, 4, 6)
