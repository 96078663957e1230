"""The page type's cheaper forms held to the code they replace (kept here, frozen), on random markup."""

from __future__ import annotations

import lxml.html
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from archiver.extract import pagetype
from archiver.extract.document import Page

#: ``_marked_areas``' candidates before: the body's elements whose class and id, joined by a space, name a
#: menu, sidebar, breadcrumb, header or footer, tested by EXSLT's regular expression in the XPath.
OLD_MARKED_AROUND = etree.XPath(
    "//body//*[re:test(concat(@class, ' ', @id),"
    " '(^|[-_ ])(nav|navi|navigation|menu|sidebar|breadcrumbs?|header|footer)($|[-_ ])', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)

#: Pieces of class and id names: the names' words in any case, the separators the pattern knows and
#: those it does not, and the letters that Python's case-insensitive matching takes for ASCII ones
#: (the dotted and dotless i, the long s, the Kelvin sign).
NAME_PARTS = st.sampled_from(
    ["nav", "NAVI", "navigation", "Menu", "sidebar", "\u017fidebar", "breadcrumb", "breadcrumbs", "header",
     "FOOTER", "nav\u0130", "men\u0131", "has", "site", "x", "-", "_", " ", "\t", "\n", "--", "1", "k\u212a"]
)  # fmt: skip
names = st.lists(NAME_PARTS, max_size=4).map("".join)


@st.composite
def classed_markup(draw: st.DrawFn, depth: int = 0) -> str:
    """Nested elements, some with a class, an id or both, some in the head or outside the body."""
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag = draw(st.sampled_from(["div", "ul", "nav", "span", "aside", "section"]))
        attributes = ""
        if draw(st.booleans()):
            attributes += f' class="{draw(names)}"'
        if draw(st.booleans()):
            attributes += f' id="{draw(names)}"'
        parts.append(f"<{tag}{attributes}>text{draw(classed_markup(depth + 1))}</{tag}>")
    return "".join(parts)


@given(classed_markup(), classed_markup(), st.booleans())
@example('<div class="site-nav"></div>', "", False)
@example('<div class="x" id="\u017fidebar"></div>', "", False)
@example('<div class="menu\n"></div>', "", False)
def test_marked_areas_are_the_exslt_selectors(body: str, head: str, twice: bool) -> None:
    html = f'<html><head><title class="nav">t</title></head><body class="header">{body}</body></html>'
    html = f"{html}{html}" if twice else html  # a page sent twice keeps a second <html> beside the root
    tree = lxml.html.document_fromstring(html.replace("<head>", f"<head>{head}", 1))
    page = Page(url="https://example.com/a", text=html, tree=tree)
    assert pagetype._marked_areas(page) == [el for el in OLD_MARKED_AROUND(tree) if pagetype._marked_around(el)]
