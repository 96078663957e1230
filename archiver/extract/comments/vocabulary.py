"""The words of comment markup, as data: what class names, ids, tags, labels and phrases say.

Each pattern is built from word lists named after it (``CONTAINER`` from ``CONTAINER_WORDS``;
also ``_PREFIXES``, ``_SUFFIXES``, ``_ENDINGS``), joined by "|" in their order. Tuples are words
and phrases too, looked up or read in order; frozensets name HTML tags by what HTML says they are.
Adding a layout's word here is how archiver learns it: tests/test_comment_vocabulary.py checks
that a saved fixture page needs each entry and each word, and lists the words none needs yet.
"""

from __future__ import annotations

import re


def _either(words: tuple[str, ...]) -> str:
    return "|".join(words)


# --- the comment area ----------------------------------------------------------------------

#: A class token or id that names a comment area (matched token by token).
CONTAINER_WORDS = (
    "comment", "kommentar", "commentaire", "komentarz", "comentario", "commenti", "reactions?$", "responses$",
    "discussion", "disqus", "^cmts?$", "leserbrief", "reader-?resp", "^replies$", "^talkback", "reviews",
)  # fmt: skip
CONTAINER = re.compile(_either(CONTAINER_WORDS), re.IGNORECASE)
#: Tokens that CONTAINER takes but that name a part of a comment area or its form, not the area.
NOT_CONTAINER_ENDINGS = (
    "link", "count", "number", "num", "icon", "title", "header", "closed", "rss", "feed", "nav", "navigation",
    "pagination", "policy", "rules", "button", "btn", "author", "meta", "date", "avatar", "content", "text", "body",
)  # fmt: skip
NOT_CONTAINER_WORDS = (
    "respond", "form$", "comment-?form", "commentform", "reply", rf"-?(?:{_either(NOT_CONTAINER_ENDINGS)})s?$",
    "no-?comments", "add-?comment", "write-?comment", "post-?comment", "leave", "share", "social", "related",
    "teaser", "newsletter", "open$", "commentary", "commentaries", "popular", "commented",
)  # fmt: skip
NOT_CONTAINER = re.compile(_either(NOT_CONTAINER_WORDS), re.IGNORECASE)
#: A cheap first filter for ids and classes that may name a comment area: each word of CONTAINER holds one.
MAYBE_CONTAINER_WORDS = (
    "omment", "oment", "eaction", "esponse", "iscussion", "isqus", "cmt", "eplies", "eserbrief", "eader", "alkback",
    "eview", "ommenti",
)  # fmt: skip
MAYBE_CONTAINER = re.compile(_either(MAYBE_CONTAINER_WORDS))
#: Tags that never hold a comment area, whatever their class says.
NOT_CONTAINER_TAGS = frozenset(
    ["html", "body", "a", "span", "form", "button", "textarea", "input", "h1", "h2", "h3", "h4", "h5", "h6",
     "p", "img", "time", "cite", "b", "strong", "em", "i", "label", "script", "style", "noscript"]
)  # fmt: skip
#: Ids that say "comment" on their own, enough to find a comment list no class names.
COMMENT_ID_WORDS = ("comment", "kommentar", "komentarz", "commentaire", "comentario")
COMMENT_ID = re.compile(rf"^(?:li-|div-)?(?:{_either(COMMENT_ID_WORDS)})[-_]?\d+$|^bb_message_\d+$", re.I)

#: The id of one post of a forum thread, by the conventions of widely used forum software: phpBB and
#: FluxBB "p123", vBulletin "post123" and "post_123", MyBB "post_123", bbPress "post-123", XenForo
#: "js-post-123", SMF "msg123". The posts of a thread share it; its first post is the thread's body.
POST_ID_WORDS = ("p", "post", "js-post", "msg")
POST_ID = re.compile(rf"^(?:{_either(POST_ID_WORDS)})[-_]?\d+$")
#: Attributes a forum's software puts on a thread's opening post, the page's body (Invision Community).
OPENING_POST = ("data-ips-first-post",)
#: Class tokens WordPress gives an article or page of any type ("post-123" is also the id of an article
#: in a list of posts): elements with them are articles, not a thread's posts.
NOT_POST_CLASS_WORDS = ("hentry", r"type-\w+", "status-publish")
NOT_POST_CLASS = re.compile(rf"(?:^|\s)(?:{_either(NOT_POST_CLASS_WORDS)})(?:\s|$)")

# --- one comment in the area ---------------------------------------------------------------

#: A class token naming one comment: "comment", "c-comment-item", "kommentar-box", "review", wpDiscuz's
#: "wc-comment" and "wpd-comment".
ITEM_CLASS_PREFIXES = ("c-", "single-", "user-", "reader-", "js-", "wc-", "wpd-")
ITEM_CLASS_WORDS = (
    "comment", "comments-item", "kommentar", "cmt", "comentario", "commento", "komentarz", "commentaire", "pingback",
    "trackback", "reply", "response", "post", "review",
)  # fmt: skip
ITEM_CLASS_SUFFIXES = ("item", "entry", "wrap", "wrapper", "box", "container", "block", "card", "node", "row", "single")
ITEM_CLASS = re.compile(
    rf"^(?:{_either(ITEM_CLASS_PREFIXES)})?(?:{_either(ITEM_CLASS_WORDS)})"
    rf"(?:[-_]?(?:{_either(ITEM_CLASS_SUFFIXES)}))?$",
    re.IGNORECASE,
)
#: An id that numbers a comment: "comment-45", "c5689936", "li-comment-7", "k-3301".
ITEM_ID_WORDS = ("comment", "c", "cmt", "k", "kommentar", "reply", "msg", "message", "bb_message")
ITEM_ID = re.compile(rf"^(?:li-|div-)?(?:{_either(ITEM_ID_WORDS)})[-_]?\d+$", re.I)
#: Class tokens that vary between comments of one list (parity, depth, state, kind): not its markup signature.
STATE_TOKEN_WORDS = (
    "odd", "even", "alt", "first", "last", "parent", "byuser", "bypostauthor", "clearfix", r"thread-\w+",
    r"depth-\w+", "comment-author-.*", r"has-\w+", r"is-\w+", "highlighted", "new", "unread", "author", "hentry",
    "reply", "pingback", "trackback",
)  # fmt: skip
STATE_TOKEN = re.compile(rf"\d|^(?:{_either(STATE_TOKEN_WORDS)})$", re.IGNORECASE)
#: Tags that are never a whole comment: inline markup, form controls, media, code.
INLINE_TAGS = frozenset(
    ["a", "span", "b", "i", "em", "strong", "br", "p", "img", "time", "cite", "abbr", "textarea", "input",
     "button", "select", "option", "label", "form", "script", "style", "noscript", "svg", "iframe", "meta",
     "link", "template", "small", "sup", "sub", "u", "font", "h1", "h2", "h3", "h4", "h5", "h6"]
)  # fmt: skip

# --- the roles inside one comment ----------------------------------------------------------

#: Where a camelCase class name is split into words ("commentAuthor" -> "comment-Author").
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

#: Class words of the commenter's name.
AUTHOR_CLASS_WORDS = (
    "fn", "author", "comment-author", "comment-author-name", "username", "user-?name", "user", "name",
    "nick(?:name)?", "commenter", "poster", "byline", "benutzer", "nutzer", "autor", "verfasser", "pseudo",
    "usuario", "autore", "by", "person",
)  # fmt: skip
AUTHOR_CLASS = re.compile(rf"\b(?:{_either(AUTHOR_CLASS_WORDS)})\b", re.IGNORECASE)
#: Microdata properties of the commenter, and the tags that may hold the name.
AUTHOR_PROPS = ("author", "creator")
AUTHOR_TAGS = frozenset(["cite", "b", "strong", "span", "a", "div", "dt", "p", "li", "h2", "h3", "h4", "h5", "h6"])
#: Class words of an element the page hides (a share menu's "Link to comment" heading): not read as a headline.
HIDDEN_CLASS_WORDS = ("hidden", "hide", "d-none", "sr-only", "visually-hidden", "screen-reader-text")
HIDDEN_CLASS = re.compile(rf"(?:^|[\s_-])(?:{_either(HIDDEN_CLASS_WORDS)})(?:$|[\s_-])", re.IGNORECASE)
#: Words before a name that are not part of it ("by Anna", "von Anna", "Kommentar von Anna").
BY_PREFIX_WORDS = (
    "posted by", "comment by", "kommentar von", "geschrieben von", "commentaire de", "commentaire par", "by", "von",
    "par",
)  # fmt: skip
BY_PREFIX = re.compile(rf"^(?:{_either(BY_PREFIX_WORDS)})\s+", re.IGNORECASE)
#: Words that end a name in an author line and begin what follows it: "Soapm Posted March 5",
#: "Chuck Reply to TMS", "Ben 19. Juni 2018 - Antworten" (the dates themselves are found as dates).
AFTER_NAME_WORDS = (
    "posted", "geschrieben", "publié", "in reply to", "reply to", "replying to", "antwort auf", "antworte auf",
    "antworten", "reply", "répondre", "responder", "rispondi", "odpowiedz", "link to comment", "permalink",
    "edited", "bearbeitet", "modifié",
)  # fmt: skip
AFTER_NAME = re.compile(rf"(?:\s[-–—|·•/]+)?\s+(?:{_either(AFTER_NAME_WORDS)})\b", re.IGNORECASE)
#: Role badges a theme shows after a commenter's name ("Martina Berg Autor"): not part of it.
ROLE_BADGE_WORDS = (
    "autor", "autorin", "author", "post author", "admin", "administrator", "moderator", "mod", "staff", "gast",
    "guest", "auteur", "redaktion", "editor",
)  # fmt: skip
ROLE_BADGE = re.compile(rf"(?<=\S)\s+[(\[]?(?:{_either(ROLE_BADGE_WORDS)})[)\]]?$", re.IGNORECASE)
#: Class words of a comment's date.
DATE_CLASS_WORDS = (
    "date", "time", "stamp", "posted", "when", "meta", "ago", "published", "datum", "zeit", "fecha", "data",
)  # fmt: skip
DATE_CLASS = re.compile(_either(DATE_CLASS_WORDS), re.IGNORECASE)
#: Attributes where pages put a machine-readable date.
DATE_ATTRIBUTES = ("datetime", "content", "title", "data-content", "data-date", "data-timestamp", "data-time")
#: Tooltip attributes where a page shows the absolute date of a relative one ("1 year ago").
TOOLTIP_ATTRIBUTES = ("title", "data-tippy-content", "data-original-title", "data-tooltip", "aria-label")
#: Page languages (``<html lang>``, or its language part) whose own numeric dates are written
#: day/month/year with slashes ("09/06/2020" is 9 June); others (American English, and English
#: without a region) are read month first, as software defaults write them.
DAY_FIRST_LANGUAGES = (
    "en-gb", "en-ie", "en-au", "en-nz", "en-in", "en-za", "fr", "es", "it", "pt", "el", "ca",
)  # fmt: skip
#: Microdata properties of a comment's date.
DATE_PROPS = ("dateCreated", "datePublished", "commentTime")
#: Words of a date line that are not a name before it ("Posted on 3 May", "am 3. Mai").
MONTH_OR_DAY_WORDS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december", "januar", "februar",
    "märz", "mai", "juni", "juli", "oktober", "dezember", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag", "dienstag", "mittwoch", "donnerstag",
    "freitag", "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "am",
    "um", "on", "le", "el", "il", "posted",
    "written",
)  # fmt: skip
MONTH_OR_DAY = re.compile(rf"\b(?:{_either(MONTH_OR_DAY_WORDS)})\b", re.IGNORECASE)
#: A class token naming a comment's text ("comment-content", "kommentar-text", "field-item"; FluxBB's and
#: PunBB's "postmsg").
BODY_CLASS_WORDS = (
    "content", "text", "body", "message", "entry", "field-item", "commenttext", "cmtbody", "story", "description",
    "postmsg",
)  # fmt: skip
BODY_CLASS = re.compile(rf"(?:^|[-_])(?:{_either(BODY_CLASS_WORDS)})$", re.IGNORECASE)
#: A class token naming a comment's own headline ("comment-title", "jdgm-rev__title", "titre").
TITLE_CLASS_WORDS = ("title", "titre", "titel", "subject", "betreff", "headline")
TITLE_CLASS = re.compile(rf"(?:^|[-_])(?:{_either(TITLE_CLASS_WORDS)})$", re.IGNORECASE)
#: Microdata and RDFa properties of a comment's headline.
TITLE_PROPS = ("name", "headline", "schema:name", "schema:headline")
#: Microdata properties of a comment's text.
TEXT_PROPS = ("text", "commentText", "reviewBody")
#: Headings a comment may have as its own headline.
HEADINGS = frozenset(["h3", "h4", "h5", "h6"])
#: The verbs of a "Name says:" header line, "(3) Name wrote...", "#3 Anna schreibt:".
SAYS_WORDS = (
    "says", r"said(?:\.\.\.|…)?", "wrote", "schreibt", "schrieb", "sagt", "meint", "écrit", "dit", "dice", "escribió",
    r"napisał\(a\)", "napisał",
)  # fmt: skip
#: "Sheri says" without the colon: a name ending in the verb (WordPress' ``<span class="says">``); only
#: verbs no name ends in ("Omar Said" is a name).
SAYS_END_WORDS = ("says", "sagt", "schreibt", "meint", "écrit")
SAYS_END = re.compile(rf"\s+(?:{_either(SAYS_END_WORDS)})\s*:?$", re.IGNORECASE)
SAYS = re.compile(
    r"^\s*(?:\(\s*(?P<n1>\d+)\s*\)|#\s?(?P<n2>\d+)|(?P<n3>\d+)\.)?\s*(?P<name>.+?)\s*"
    rf"(?:{_either(SAYS_WORDS)})"
    r"\s*(?::|\.\.\.|…)\s*$",
    re.IGNORECASE,
)
#: A comment's number where the page shows one: "(3)", "#3", "3.", "Kommentar Nr. 3".
NUMBER_WORDS = ("kommentar", "comment", "commentaire", "komentarz", "comentario")
NUMBER = re.compile(
    r"^\s*(?:\(\s*(\d{1,5})\s*\)|#\s?(\d{1,5})\b|(\d{1,5})\.(?!\d)|"
    rf"(?:{_either(NUMBER_WORDS)})\s*(?:nr\.?|no\.?)?\s*#?\s*(\d{{1,5}})\b)",
    re.IGNORECASE,
)
#: Class words of an element that shows a comment's number (met anywhere in the class).
NUMBER_CLASS_WORDS = ("num", "count")
NUMBER_CLASS = re.compile(_either(NUMBER_CLASS_WORDS))
#: Microdata properties of a comment's place in its thread (Discourse's crawler view).
NUMBER_PROPS = ("position",)
#: Tags of an element that shows only a comment's number, "#12": a forum's post counter, a permalink.
NUMBER_TAGS = frozenset(["a", "span", "strong", "b", "small", "em"])
#: Anchors of the comment form, which a comment's links point to without being its anchor.
FORM_ANCHORS = ("respond",)
#: The ellipses around a pingback's excerpt of the linking post ("[…] text […]").
PING_ELLIPSES = ("[…]", "[...]")
#: The label of a pingback's or trackback's text.
LABEL_WORDS = ("pingback", "trackback")
LABEL = re.compile(rf"^(?:{_either(LABEL_WORDS)})\s*:\s*", re.IGNORECASE)

# --- what is not the comment ---------------------------------------------------------------

#: Lines that are links or buttons, not what the comment says.
NOISE_LINE_WORDS = (
    "reply", "antworten", "répondre", "responder", "odpowiedz", "report", "melden", "like", "share", "permalink",
    "link", "quote", "zitieren", "flag", "edit", "delete", r"\d+\s+likes?", "log in to reply", "reply ↓", "↓", "↑",
)  # fmt: skip
NOISE_LINE = re.compile(rf"^(?:{_either(NOISE_LINE_WORDS)})$", re.IGNORECASE)
#: Reply links, avatars, votes, "says" labels, screen-reader text and a forum member's joining date
#: (phpBB's "profile-joined"), a forum member's signature under the post and FluxBB's "Last edited by"
#: note ("postedit", not the post's date): words met anywhere in a class.
NOISE_CLASS_WORDS = (
    "reply", "avatar", "vote", "score", "report", "like", "says", "edit-link", "screen-reader", "joined",
    "signature", "postedit",
)  # fmt: skip
#: Class words of what a theme shows beside a name and is not part of it: a role or reputation badge.
NAME_NOISE_CLASS_WORDS = ("badge", "rank", "role", "reputation")
NAME_NOISE_CLASS = re.compile(_either(NAME_NOISE_CLASS_WORDS), re.IGNORECASE)
NOISE_CLASS = re.compile(_either(NOISE_CLASS_WORDS))
NOISE_TAGS = frozenset(["form", "button", "script", "style", "noscript", "img"])

# --- structured comments -------------------------------------------------------------------

#: schema.org types of a comment in microdata (a Q&A page's answers are its comments).
COMMENT_TYPE_WORDS = ("Comment", "UserComments", "Answer")
COMMENT_TYPE = re.compile(rf"schema\.org/(?:{_either(COMMENT_TYPE_WORDS)})$")
#: The types of COMMENT_TYPE that are a comment, not an answer.
COMMENT_ONLY_TYPE = re.compile(r"schema\.org/(?:Comment|UserComments)/?$")

# --- a page's comment status ---------------------------------------------------------------

#: Third-party comment services, by a marker their embed code leaves in the page.
EXTERNAL = (
    ("disqus", ("disqus_thread", "disqus.com/embed", "disqus_shortname", "disqus_config")),
    ("facebook", ("fb-comments", "facebook.com/plugins/comments")),
    ("commento", ("commento.io", 'id="commento"')),
    ("giscus", ("giscus.app",)),
    ("utterances", ("utteranc.es",)),
    ("coral", ("coral-talk", "coral_talk", "coraltalk", "coralproject", "coral_thread")),
    ("viafoura", ("viafoura",)),
    ("openweb", ("spot.im", "data-spotim", "openweb")),
    ("hyvor", ("hyvor",)),
    ("isso", ("isso-thread",)),
)
#: Phrases pages use to say their comments are closed (compared in lower case).
CLOSED = (
    "comments are closed",
    "comments closed",
    "kommentare sind geschlossen",
    "kommentarfunktion ist deaktiviert",
    "kommentarfunktion deaktiviert",
    "kommentarfunktion geschlossen",
    "les commentaires sont fermés",
)
#: Attributes where a page gives its comment count (wpDiscuz, Squarespace, new reddit): more than
#: none where no comment is in the HTML says they load by script.
COUNT_ATTRIBUTES = ("data-comments-count", "data-comment-count", "data-public-comment-count", "comment-count")
#: A comment area's count shown as text: "2 Kommentare", "(4) Kommentare", "Comments (48)".
COUNT_TEXT_WORDS = ("comments?", "kommentare?", "commentaires?", "comentarios?", "commenti", "komentarz[ey]?")
COUNT_TEXT = re.compile(
    rf"^(?:\(?(?P<n1>\d+)\)?\s*)?(?:{_either(COUNT_TEXT_WORDS)})(?:\s*\(?(?P<n2>\d+)\)?)?$", re.IGNORECASE
)
#: A comment area's count of none, as text (compared in lower case, without a final colon): Blogger's "No comments:".
NO_COMMENTS = ("no comments", "keine kommentare", "aucun commentaire", "sin comentarios", "nessun commento")
#: Controls that load a page's comments by script (compared in lower case).
LOAD_COMMENTS = (
    "load comments", "show comments", "view comments", "kommentare laden", "kommentare anzeigen",
    "afficher les commentaires", "cargar comentarios", "mostrar comentarios",
)  # fmt: skip
