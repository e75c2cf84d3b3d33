"""The visible text and links of a page, without scripts, styles and other parties'
blocks.

Contact pages carry contacts that are not the company's: advertisers in sponsored
blocks, a web studio's address in the footer credit ("Разработка сайта — Студия X,
studio@x.ru"). Those blocks are cut out before anything is extracted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

_INVISIBLE = ("script", "style", "noscript", "template", "svg", "head")
# Class or id words that mark a block as someone else's: ads, sponsors, partners.
_FOREIGN_BLOCK = re.compile(
    r"(?:^|[\s_-])(?:sponsor\w*|advert\w*|ads?|adv|banner|promo|partners?|reklama|"
    r"реклама|third-party)(?:$|[\s_-])",
    re.IGNORECASE,
)
# A developer's credit: the block it sits in names the studio, not the company.
_CREDIT = re.compile(
    r"разработк[аи] сайта|создание сайта|сайт разработан|сделано в|"
    r"website by|site by|developed by|made by|designed by",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "ul",
        "ol",
        "table",
        "dd",
        "dt",
        "aside",
        "nav",
        "main",
        "form",
    ]
)


def _is_foreign(element: Any) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    if _FOREIGN_BLOCK.search(marks):
        return True
    return "sponsored" in (element.get("rel") or "")


def _is_credit(node: Any) -> bool:
    own = (node.text or "") + "".join(child.tail or "" for child in node)
    return bool(_CREDIT.search(own))


def _skipped(node: Any, skip_tags: frozenset[str]) -> bool:
    tag = node.tag
    return (
        tag in _INVISIBLE
        or tag in skip_tags
        or _is_foreign(node)
        or (tag not in ("html", "body") and _is_credit(node))
    )


def _walk(root: Any, skip_tags: frozenset[str]) -> Iterator[tuple[str, Any]]:
    """(event, element) over the page without invisible and foreign subtrees.

    Walks the tree in place (no copy): a skipped element's subtree is never
    entered, but its tail (the text after it) still belongs to the page.
    """
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        if not isinstance(node.tag, str):
            if event == "end":
                yield "tail", node
            continue
        if event == "start" and _skipped(node, skip_tags):
            walker.skip_subtree()
            yield "skipped", node
            continue
        yield event, node


def visible_text(root: Any, skip_tags: frozenset[str] = frozenset()) -> str:
    """The page's own visible text, one line per block element.

    Args:
        root: the parsed page.
        skip_tags: more elements to leave out with their content, e.g.
            {"header", "footer", "nav"} for a directory's own frame.
    """
    parts: list[str] = []
    for event, node in _walk(root, skip_tags):
        if event == "start":
            if node.tag in _BLOCK_TAGS:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
            continue
        if event == "end" and node.tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.tail:  # after "end", "skipped" and comments
            parts.append(node.tail)
    text = _SPACES.sub(" ", "".join(parts))
    return _BLANK_LINES.sub("\n", text).strip()


def visible_links(root: Any) -> list[Any]:
    """The <a> elements of the page's own content (not ads, not the web studio's)."""
    return visible_elements(root, "a")


def visible_elements(root: Any, tag: str) -> list[Any]:
    """The `tag` elements of the page's own content (not ads, not the web studio's)."""
    return [
        node
        for event, node in _walk(root, frozenset())
        if event == "start" and node.tag == tag
    ]
